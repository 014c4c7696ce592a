"""Measurement only: the grader and the retrieval against labelled data, and the commands that fit their models."""
