"""Grading a free-form answer: signals, the fitted scoring model, and the grade with its rules."""
