"""Batch grading and the measurements of the grader and the retrieval."""
