"""A real server on a free 127.0.0.1 port, and a page on it in the session's Chromium."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import ARTIFACTS, ROOT


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


@contextmanager
def launch(home: Path, *args: str, port: int | None = None):
    """`interview serve` as a separate process on `home`; yields (url, process); stopped on exit."""
    port = port or free_port()
    env = dict(os.environ, INTERVIEW_HOME=str(home), GRADIO_ANALYTICS_ENABLED="False")
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", "serve", "--port", str(port), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for(url, proc)
        yield url, proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def home_with_index(real_home: Path, folder: Path) -> Path:
    """A fresh data root (its own history) that shares the session's built index and cache."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("index", "cache"):
        if (real_home / name).exists() and not (folder / name).exists():
            (folder / name).symlink_to(real_home / name)
    return folder


@pytest.fixture(scope="session")
def server(real_kb, real_home):
    """`interview serve` as a separate process, on the index the session already built."""
    with launch(real_home) as (url, _):
        yield url


LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")


@pytest.fixture
def page(chromium, server, request):
    """A fresh browser context (its own local storage) on the app; a screenshot is saved at the end.

    Every request the page makes is checked: nothing may go off this machine (no CDN, fonts or
    analytics)."""
    with open_page(chromium, server, request.node.name) as page:
        yield page


@contextmanager
def open_page(browser, url: str, name: str, locale: str = "ko-KR", height: int = 1400, timeout: float = 60_000, permissions=()):
    """A fresh context of `browser` on the app at `url`: yields the page once it is ready, then
    saves its screenshot as `name` and fails if it asked for anything off this machine."""
    context = browser.new_context(viewport={"width": 1280, "height": height}, locale=locale, permissions=list(permissions))
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(LOCAL) else outside.append(r.url))
    page.set_default_timeout(timeout)
    page.goto(url)
    page.wait_for_selector("#start")
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()
    assert outside == [], f"the page asked for something off this machine: {outside[:5]}"
