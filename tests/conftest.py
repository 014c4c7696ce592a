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
# The claim judge's assembled weights (65 MB, derived from packaged files) are shared by every data
# root of the session instead of being written into each test's own.
os.environ.setdefault("INTERVIEW_JUDGE_DIR", tempfile.mkdtemp(prefix="judge-"))
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
def playwright_driver():
    """Playwright, once per session (a second sync driver in the same thread is refused); a missing
    Chromium fails under CI."""
    if not shutil.which(CHROMIUM):
        message = f"{CHROMIUM} is missing: apt-get install chromium fonts-nanum"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def chromium(playwright_driver):
    """Debian's Chromium driven by Playwright, one per session."""
    browser = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def speech_models(tmp_path_factory):
    """A models folder holding the Whisper model, joined from the installed packages once per session."""
    from app.speech.model import model_dir

    models = tmp_path_factory.mktemp("speech") / "models"
    model_dir(models)
    return models


@pytest.fixture(scope="session")
def whisper(speech_models):
    """The real speech recognizer; the model loads on the first transcription and stays for the session."""
    from app.speech.transcribe import Whisper

    return Whisper(speech_models)


def link_speech_model(home: Path, speech_models: Path) -> Path:
    """Give a data root the session's joined model (a link), so nothing is joined or loaded again."""
    (home / "models").mkdir(parents=True, exist_ok=True)
    target = home / "models" / "whisper-base"
    if not target.exists():
        target.symlink_to(speech_models / "whisper-base")
    return home


@pytest.fixture(scope="session")
def speech_dir(tmp_path_factory):
    """espeak-ng's English and Korean readings of the test sentences (a missing espeak-ng fails under CI)."""
    from tests.app.speech.media import espeak
    from tests.app.speech.sentences import ENGLISH, KOREAN

    if not shutil.which("espeak-ng"):
        message = "espeak-ng is missing: apt-get install espeak-ng (make browser installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    folder = tmp_path_factory.mktemp("spoken")
    for i, text in enumerate(ENGLISH):
        espeak(text, folder / f"en-{i}.wav", voice="en-us")
    for i, text in enumerate(KOREAN):
        espeak(text, folder / f"ko-{i}.wav", voice="ko")
    return folder
