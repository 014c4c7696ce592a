"""Batch grading of answer sets: reading them, the chunk unit of work, where chunks run, the run, reports."""
