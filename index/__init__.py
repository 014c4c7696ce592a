"""Question banks, encoders and the vector index: everything the app reads."""
