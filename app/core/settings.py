"""Settings: built once at the entry point and passed down. Only here is the environment read or set.

>>> configure_environment()          # first thing in every entry point (CLI, web, tests)
>>> settings = Settings()            # the data root from $INTERVIEW_HOME, the bundled content
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from pathlib import Path

HOME_VARIABLE = "INTERVIEW_HOME"
# The claim judge's assembled weight file (about 65 MB) is derived data: data roots may share one.
JUDGE_DIR_VARIABLE = "INTERVIEW_JUDGE_DIR"
BUNDLED_CONTENT = Path(__file__).resolve().parent.parent.parent / "content"

# Set before numpy, the encoders or Gradio load (setdefault: the user's own values win).
# - OPENBLAS_NUM_THREADS=1: the matrix products are tiny, and OpenBLAS threads spinning after each
#   one steal the cores the encoder needs: one BLAS thread made grading 1.75x faster (191 ms ->
#   109 ms for a 100-word answer on 2 cores).
# - HF_HUB_OFFLINE and friends: nothing leaves the machine; with a model missing from the local
#   cache, sentence-transformers still asked huggingface.co (the test run's network guard caught it).
# - GRADIO_ANALYTICS_ENABLED=False: the web app sends nothing anywhere.
ENVIRONMENT = {
    "OPENBLAS_NUM_THREADS": "1",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
}


def configure_environment(environ: MutableMapping[str, str] | None = None) -> None:
    """Set the process-wide variables of ENVIRONMENT that are not set yet; call it before heavy imports."""
    env = os.environ if environ is None else environ
    for name, value in ENVIRONMENT.items():
        env.setdefault(name, value)


def default_home(environ: dict[str, str] | None = None) -> Path:
    """Return the data root: $INTERVIEW_HOME, else the per-user data folder ($XDG_DATA_HOME or ~/.local/share)."""
    env = os.environ if environ is None else environ
    if env.get(HOME_VARIABLE):
        return Path(env[HOME_VARIABLE]).expanduser()
    base = Path(env["XDG_DATA_HOME"]).expanduser() if env.get("XDG_DATA_HOME") else Path.home() / ".local" / "share"
    return base / "interview-coach"


def _path_from(variable: str) -> Path | None:
    return Path(os.environ[variable]).expanduser() if os.environ.get(variable) else None


@dataclass(frozen=True)
class Settings:
    """Where content and data live, and which encoder to use (None: the index's default, e5)."""

    home: Path = field(default_factory=default_home)
    content: Path = BUNDLED_CONTENT
    encoder: str | None = None
    judge_dir: Path | None = field(default_factory=lambda: _path_from(JUDGE_DIR_VARIABLE))

    @property
    def cache_path(self) -> Path:
        return self.home / "cache" / "embeddings.sqlite"

    @property
    def models_dir(self) -> Path:
        """Where `interview train` writes fitted models; they take precedence over the package's."""
        return self.home / "models"

    @property
    def judge_files(self) -> Path:
        """Where the claim judge's weight file is assembled: $INTERVIEW_JUDGE_DIR, else the models folder."""
        return self.judge_dir or self.models_dir

    def index_dir(self, encoder_name: str, banks: list[str] | None = None) -> Path:
        """One index folder per encoder and set of banks, so neither switch clobbers another index."""
        safe = re.sub(r"[^A-Za-z0-9._-]+", "-", encoder_name).strip("-")[:60]
        which = "-".join(sorted(banks or []))[:60] or "default"
        digest = hashlib.sha256("\n".join(sorted(banks or [])).encode()).hexdigest()[:8]
        return self.home / "index" / safe / f"{which}-{digest}"

    @property
    def history_path(self) -> Path:
        return self.home / "history.sqlite"
