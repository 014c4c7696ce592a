"""A real server on a free 127.0.0.1 port, and a page on it in the session's Chromium."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from ..conftest import ARTIFACTS, ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, proc: subprocess.Popen, seconds: float = 180) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}: {proc.stderr.read().decode(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"the server did not answer at {url} within {seconds}s")


@pytest.fixture(scope="session")
def server(real_kb, real_home):
    """`interview serve` as a separate process, on the index the session already built."""
    port = free_port()
    env = dict(os.environ, INTERVIEW_HOME=str(real_home), GRADIO_ANALYTICS_ENABLED="False")
    proc = subprocess.Popen([sys.executable, "-m", "app", "serve", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
def page(chromium, server, request):
    """A fresh browser context (its own local storage) on the app; a screenshot is saved at the end."""
    context = chromium.new_context(viewport={"width": 1280, "height": 1400}, locale="ko-KR")
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(server)
    page.wait_for_selector("#start")
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
