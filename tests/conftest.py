"""Shared fixtures: every test gets its own data root; the real-model fixtures are session-wide."""

import importlib.util
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from app.core.settings import configure_environment

configure_environment()  # the test session is an entry point like the CLI: before numpy or a model loads

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SEED = ROOT.parent / "shared" / "seed" / "000_2076ee3cd9375617.txt"
ARTIFACTS = ROOT / "test-artifacts"
NETGUARD = Path(__file__).resolve().parent / "netguard"

# Nothing may leave this machine during a test run: this process and every Python process it
# starts (servers, CLI runs, workers; they inherit PYTHONPATH) refuse and record any connection
# or name lookup off 127.0.0.1, and the session fails if one was attempted.
os.environ.setdefault("INTERVIEW_NETGUARD_LOG", str(Path(tempfile.mkdtemp(prefix="netguard-")) / "attempts.log"))
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(NETGUARD), os.environ.get("PYTHONPATH")]))
_spec = importlib.util.spec_from_file_location("netguard", NETGUARD / "sitecustomize.py")
_spec.loader.exec_module(importlib.util.module_from_spec(_spec))


def pytest_sessionfinish(session, exitstatus):
    log = Path(os.environ["INTERVIEW_NETGUARD_LOG"])
    if log.exists() and log.read_text().strip():
        print(f"\nnetwork guard: connections off this machine were attempted (see {log}):\n{log.read_text()[:3000]}")
        session.exitstatus = 1


CHROMIUM = "/usr/bin/chromium"
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


@pytest.fixture(autouse=True)
def data_root(tmp_path, monkeypatch):
    """Point INTERVIEW_HOME at a fresh folder, so no test reads or writes the user's data."""
    home = tmp_path / "home"
    monkeypatch.setenv("INTERVIEW_HOME", str(home))
    return home


@pytest.fixture
def mini_content(tmp_path):
    """A content folder holding only the mini bank."""
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "mini.md").write_text((DATA / "mini.md").read_text(encoding="utf-8"), encoding="utf-8")
    return folder


@pytest.fixture
def fake_kb(mini_content, tmp_path):
    from app.core.knowledge import Knowledge
    from app.core.settings import Settings

    return Knowledge.open(Settings(home=tmp_path / "kbhome", content=mini_content, encoder="fake"))


@pytest.fixture(scope="session")
def real_home(tmp_path_factory):
    """A data root holding the real index of the bundled bank (built once per test session)."""
    return tmp_path_factory.mktemp("realhome")


@pytest.fixture(scope="session")
def real_kb(real_home):
    """The bundled bank with the real default encoder and a real FAISS index."""
    from app.core.knowledge import Knowledge
    from app.core.settings import BUNDLED_CONTENT, Settings

    return Knowledge.open(Settings(home=real_home, content=BUNDLED_CONTENT))


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright, one per session (a missing browser fails under CI)."""
    if not shutil.which(CHROMIUM):
        message = f"{CHROMIUM} is missing: apt-get install chromium fonts-nanum"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()
