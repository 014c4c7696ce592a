"""Question banks, encoders and the vector index: everything the app reads."""

import os

# The matrix products here are tiny, and OpenBLAS worker threads that spin after each one
# steal the cores the encoder's own threads need: one BLAS thread made grading 1.75x faster
# (191 ms -> 109 ms for a 100-word answer on 2 cores). Must be set before numpy is imported.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
