"""The interview coach: grading, asking, and the shells (CLI, web) over them."""

import index  # noqa: E402,F401  (sets the process-wide offline and thread settings before gradio or numpy load)
