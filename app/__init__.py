"""The interview coach: grading, asking, and the shells (CLI, web) over them."""
