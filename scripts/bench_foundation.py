"""Benchmark the foundation: cold CLI grade, warm grade latency, index build/rebuild, peak memory.

Timings are medians of several runs on this machine, reported, never asserted:

    .venv/bin/python scripts/bench_foundation.py [--runs 5] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ANSWER_100_WORDS = (
    "요즘 Sigmoid보다 ReLU를 많이 쓰는 가장 큰 이유는 기울기 소실 문제 때문입니다. Sigmoid의 도함수는 최댓값이 0.25라서 "
    "역전파 때 층을 지날 때마다 기울기가 계속 곱해지면서 앞쪽 층으로 갈수록 0에 가까워집니다. 입력의 절댓값이 크면 포화되어 "
    "기울기가 거의 0이 되기도 합니다. 반면 ReLU는 입력이 양수이면 기울기가 1이어서 깊은 층까지 기울기가 잘 전달됩니다. 또 지수 "
    "연산 없이 0과 비교만 하면 되므로 계산이 빠르고, 음수 입력을 0으로 만들어 희소한 활성화를 만듭니다. 다만 입력이 음수이면 "
    "기울기가 0이어서 뉴런이 죽는 dying ReLU 문제가 있고, 이를 보완하려고 Leaky ReLU나 ELU 같은 변형을 씁니다. 출력이 0 "
    "중심이 아니라는 점도 단점으로 꼽힙니다. 그래서 은닉층에는 ReLU 계열을, 이진 분류의 출력층에는 여전히 Sigmoid를 씁니다."
)


def median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def cli(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, INTERVIEW_HOME=str(home))
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from app.core.settings import configure_environment

    configure_environment()  # before numpy and the encoder load, as the CLI does
    from app.core.knowledge import Knowledge
    from app.core.settings import BUNDLED_CONTENT, Settings
    from app.grading.grade import grade

    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        # First build: nothing cached. Rebuild after editing one answer: only its texts are re-embedded.
        content = tmp / "content"
        shutil.copytree(BUNDLED_CONTENT, content)
        home = tmp / "home"
        t = time.perf_counter()
        cli(home, "index", "build", "--content", str(content))
        out["first_build_s"] = time.perf_counter() - t
        bank = content / "deep-learning.md"
        text = bank.read_text(encoding="utf-8")
        marker = "GPU는 수천 개의"
        edited = text.replace(marker, "GPU는 수천 개가 넘는", 1) if marker in text else text + "\n"
        bank.write_text(edited, encoding="utf-8")
        t = time.perf_counter()
        info = json.loads(cli(home, "index", "build", "--content", str(content), "--json").stdout)
        out["rebuild_after_edit_s"] = time.perf_counter() - t
        out["rebuild_embedded_texts"] = info["embedded"]

        # Cold `interview grade`: a new process each time, index already built.
        out["cold_grade_s"] = median_time(
            lambda: cli(home, "grade", "deep-learning/12", ANSWER_100_WORDS, "--content", str(content), "--json"), args.runs
        )

        # Warm, in-process.
        kb = Knowledge.open(Settings(home=home, content=content))
        grade(kb, "deep-learning/12", ANSWER_100_WORDS)
        lat = []
        for _ in range(max(args.runs * 4, 20)):
            t = time.perf_counter()
            grade(kb, "deep-learning/12", ANSWER_100_WORDS)
            lat.append(time.perf_counter() - t)
        lat.sort()
        out["warm_grade_p50_ms"] = 1000 * statistics.median(lat)
        out["warm_grade_p95_ms"] = 1000 * lat[int(0.95 * (len(lat) - 1))]
        t = time.perf_counter()
        for _ in range(20):
            kb.embed([ANSWER_100_WORDS])
        out["encode_answer_only_ms"] = 1000 * (time.perf_counter() - t) / 20
        out["answer_words"] = len(ANSWER_100_WORDS.split())
        out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        out["peak_rss_children_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if args.json:
        print(json.dumps({k: round(v, 3) for k, v in out.items()}, indent=2))
    else:
        for k, v in out.items():
            print(f"{k:28s} {v:10.3f}")


if __name__ == "__main__":
    main()
