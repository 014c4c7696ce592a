"""What every concept of the app stands on: settings, the loaded knowledge, input limits and fitted files."""
