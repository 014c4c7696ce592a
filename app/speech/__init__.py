"""Spoken answers: audio files decoded (`audio`), transcribed offline by Whisper base (`transcribe`,
model files from `model`), and measured for delivery (`delivery`), apart from the content grade."""
