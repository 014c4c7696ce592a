"""Benchmark the claim judge's cost against the bundled encoder alone, in one run.

Absolute times differ threefold between machines, so the figures that count are ratios
measured side by side: a warm grade of a 100-word Korean answer (encoder, judge, everything)
against the encoder alone on the same answer's sentences; batch throughput (answers per
second through `app.batch.chunk.grade_chunk`) against the encoder alone on the same answers'
sentences; and the cold `interview grade` (a new process, index and judge file in place).
Medians, reported, never asserted:

    .venv/bin/python scripts/bench_judge.py [--runs 15] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.bench_foundation import ANSWER_100_WORDS  # noqa: E402


def median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--batch", type=int, default=60, help="answers in the throughput run")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from app.core.settings import configure_environment

    configure_environment()
    from app.batch.chunk import grade_chunk
    from app.batch.rows import AnswerRow
    from app.core.knowledge import Knowledge
    from app.core.settings import Settings
    from app.grading.grade import grade
    from app.grading.signals import split_answer
    from app.judge.model import judge_for

    kb = Knowledge.open(Settings())
    qid = "deep-learning/12"
    sents = split_answer(ANSWER_100_WORDS)[1]
    grade(kb, qid, ANSWER_100_WORDS)  # warm: models loaded, judge file assembled
    out: dict[str, float] = {"answer_words": len(ANSWER_100_WORDS.split()), "answer_sentences": len(sents)}
    enc = median_time(lambda: kb.encoder.encode(sents), args.runs)
    full = median_time(lambda: grade(kb, qid, ANSWER_100_WORDS), args.runs)
    g = grade(kb, qid, ANSWER_100_WORDS)
    judge = judge_for(kb)
    points = [k.text for k in g.key_points]
    judged = median_time(lambda: judge.probabilities(points, sents[: len(points)]), args.runs)
    out.update(encoder_ms=1000 * enc, grade_ms=1000 * full, judge_pairs_ms=1000 * judged, grade_over_encoder=full / enc)

    rows_path = ROOT / "eval/data/points/points-w1.jsonl"
    answers = [json.loads(line) for line in rows_path.read_text(encoding="utf-8").splitlines() if line.strip()][: args.batch]
    rows = [AnswerRow(line=i + 1, id=str(i + 1), answer=r["answer"], question_id=r["question_id"]) for i, r in enumerate(answers)]
    all_sents = [s for r in answers for s in split_answer(r["answer"])[1]]
    t = time.perf_counter()
    kb.encoder.encode(all_sents)
    enc_batch = time.perf_counter() - t
    t = time.perf_counter()
    grade_chunk(kb, rows)
    graded = time.perf_counter() - t
    out.update(
        batch_answers=len(rows),
        batch_encoder_answers_per_s=len(rows) / enc_batch,
        batch_grade_answers_per_s=len(rows) / graded,
        batch_throughput_ratio=enc_batch / graded,
    )

    env = dict(os.environ)
    cmd = [sys.executable, "-m", "app", "grade", qid, ANSWER_100_WORDS, "--json"]
    subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, check=True)
    out["cold_grade_s"] = median_time(lambda: subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, check=True), 5)
    if args.json:
        print(json.dumps({k: round(v, 3) for k, v in out.items()}, indent=2))
    else:
        for k, v in out.items():
            print(f"{k:30s} {v:10.3f}")


if __name__ == "__main__":
    main()
