"""Question banks, encoders and the vector index: everything the app reads."""

import os

# The matrix products here are tiny, and OpenBLAS worker threads that spin after each one
# steal the cores the encoder's own threads need: one BLAS thread made grading 1.75x faster
# (191 ms -> 109 ms for a 100-word answer on 2 cores). Must be set before numpy is imported.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

# Nothing leaves the machine: with a model missing from the local cache, sentence-transformers
# still asks huggingface.co (the test run's network guard caught it). Offline mode makes the
# hub libraries fail at once instead. Read when huggingface_hub is imported, so set here first.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
