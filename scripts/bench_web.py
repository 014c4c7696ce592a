"""Benchmark the web app: `make run` until the page answers, and Enter until the graded reply.

    .venv/bin/python scripts/bench_web.py [--answers 10] [--fresh-home]

`--fresh-home` starts on an empty data root (a first start: the index is made from the
vectors shipped in index/prebuilt/); otherwise $INTERVIEW_HOME is used as it is. Needs
/usr/bin/chromium. Prints medians, and the in-process grade time of the same answers to the
same questions in this run (the page's overhead is the difference); asserts nothing. The
server only listens on 127.0.0.1 and is stopped at the end.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ANSWER = (
    "ReLU는 양수 구간에서 기울기가 1이라 깊은 층까지 기울기가 잘 전달되고, Sigmoid는 미분 최댓값이 0.25라 층이 깊어지면 "
    "기울기가 사라집니다. ReLU는 계산도 빠르고 희소한 활성값을 만들지만 음수 구간에서 뉴런이 죽을 수 있습니다."
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def in_process(question_ids: list[str], env: dict) -> list[float]:
    """Seconds to grade ANSWER for each question in this process, on the same data root (warm)."""
    os.environ["INTERVIEW_HOME"] = env.get("INTERVIEW_HOME", os.environ.get("INTERVIEW_HOME", ""))
    from app.core.knowledge import Knowledge
    from app.core.settings import Settings, configure_environment
    from app.grading.grade import grade

    configure_environment()
    kb = Knowledge.open(Settings())
    grade(kb, question_ids[0], ANSWER)  # load the models first, as the server had
    out = []
    for qid in question_ids:
        t0 = time.perf_counter()
        grade(kb, qid, ANSWER)
        out.append(time.perf_counter() - t0)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=10)
    parser.add_argument("--fresh-home", action="store_true", help="start on an empty data root (a first start)")
    args = parser.parse_args()
    env = dict(os.environ, GRADIO_ANALYTICS_ENABLED="False")
    if args.fresh_home:
        import tempfile

        env["INTERVIEW_HOME"] = tempfile.mkdtemp(prefix="bench-web-home-")
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    started = time.perf_counter()
    proc = subprocess.Popen(
        ["make", "-s", "run", f"PORT={port}"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        env=env,
    )
    try:
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                if time.perf_counter() - started > 300:
                    raise SystemExit("the page did not answer within 300 s") from None
                time.sleep(0.1)
        ready = time.perf_counter() - started
        print(f"make run -> page answers: {ready:.2f} s")

        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page()
            page.set_default_timeout(60_000)
            page.goto(url)
            page.wait_for_selector("#start")
            page.locator("#count input[type=number]").fill(str(args.answers))
            page.locator("#count input[type=number]").press("Enter")
            page.click("#start")
            page.wait_for_function("document.querySelector('#chat').innerText.includes('1')")
            times, asked = [], []
            for _ in range(args.answers):
                n = page.locator("#chat .message").count()
                asked.append(re.findall(r"\(([a-z0-9-]+/[0-9-]+)\)", page.locator("#chat").inner_text())[-1])
                box = page.locator("#answer textarea")
                box.fill(ANSWER)
                t0 = time.perf_counter()
                box.press("Enter")
                page.wait_for_function("n => document.querySelectorAll('#chat .message').length >= n + 2", arg=n)
                page.wait_for_selector("#feedback .score")
                times.append(time.perf_counter() - t0)
                if "끝났습니다" in page.locator("#chat").inner_text():
                    break
            browser.close()
        print(
            f"Enter -> graded reply: median {1000 * statistics.median(times):.0f} ms over {len(times)} answers "
            f"(min {1000 * min(times):.0f}, max {1000 * max(times):.0f})"
        )
        inproc = in_process(asked, env)
        print(
            f"in-process grade of the same answers: median {1000 * statistics.median(inproc):.0f} ms; "
            f"the page adds {1000 * (statistics.median(times) - statistics.median(inproc)):.0f} ms (p50)"
        )
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


if __name__ == "__main__":
    main()
