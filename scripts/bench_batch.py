"""Benchmark batch grading on N answers: answers/s, the ratio to the encoder's raw throughput
on the same texts in the same run, and peak memory.

    .venv/bin/python scripts/bench_batch.py [--answers 10000] [--workers 1 2] [--dask 2]

The answers are eval/data/ko-answers.jsonl repeated (every copy is graded again: nothing
is cached between rows). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=10000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="local process counts to run")
    parser.add_argument("--dask", type=int, nargs="*", default=[2], help="Dask local-cluster worker counts to run")
    args = parser.parse_args()

    from app.core.settings import configure_environment

    configure_environment()  # before numpy and the encoder load, as the CLI does
    from app.batch.run import CHUNK, run_batch
    from app.core.knowledge import Knowledge
    from app.core.settings import Settings
    from app.grading.signals import split_answer

    source = [json.loads(line) for line in (ROOT / "eval/data/ko-answers.jsonl").read_text(encoding="utf-8").splitlines()]
    rows = [
        dict(id=f"r{i}", question_id=source[i % len(source)]["question_id"], answer=source[i % len(source)]["answer"])
        for i in range(args.answers)
    ]
    settings = Settings()
    kb = Knowledge.open(settings)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "answers.csv"
        with open(src, "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=["id", "question_id", "answer"])
            w.writeheader()
            w.writerows(rows)

        # The encoder alone, on the same sentences, chunked and sorted the same way.
        t = time.perf_counter()
        for start in range(0, len(rows), CHUNK):
            sents = sorted({s for r in rows[start : start + CHUNK] for s in split_answer(r["answer"])[1]}, key=len)
            kb.embed(sents)
        raw = len(rows) / (time.perf_counter() - t)
        print(f"encoder alone: {raw:.1f} answers/s")

        runs = [("processes", n) for n in args.workers] + [("dask", n) for n in args.dask]
        for engine, n in runs:
            out = Path(tmp) / f"out-{engine}-{n}.jsonl"
            t = time.perf_counter()
            summary = run_batch(settings, src, out, workers=n, engine=engine, progress_stream=None)
            rate = len(rows) / (time.perf_counter() - t)
            print(
                f"batch, {engine}, {n} worker(s): {rate:.1f} answers/s ({summary.graded} graded, {summary.errors} errors), "
                f"{rate / raw:.2f} of the encoder's raw throughput"
            )
    print(
        f"peak RSS: this process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB, "
        f"largest worker {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} MB"
    )


if __name__ == "__main__":
    main()
