"""Settings: built once at the entry point and passed down. Only here is the environment read."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from index.encoders import DEFAULT_ENCODER

HOME_VARIABLE = "INTERVIEW_HOME"
BUNDLED_CONTENT = Path(__file__).resolve().parent.parent / "content"


def default_home(environ: dict[str, str] | None = None) -> Path:
    """Return the data root: $INTERVIEW_HOME, else the per-user data folder ($XDG_DATA_HOME or ~/.local/share)."""
    env = os.environ if environ is None else environ
    if env.get(HOME_VARIABLE):
        return Path(env[HOME_VARIABLE]).expanduser()
    base = Path(env["XDG_DATA_HOME"]).expanduser() if env.get("XDG_DATA_HOME") else Path.home() / ".local" / "share"
    return base / "interview-coach"


@dataclass(frozen=True)
class Settings:
    """Where content and data live, and which encoder to use."""

    home: Path = field(default_factory=default_home)
    content: Path = BUNDLED_CONTENT
    encoder: str = DEFAULT_ENCODER

    @property
    def cache_path(self) -> Path:
        return self.home / "cache" / "embeddings.sqlite"

    def index_dir(self, encoder_name: str) -> Path:
        """One index folder per encoder, so switching encoders never clobbers another's index."""
        safe = re.sub(r"[^A-Za-z0-9._-]+", "-", encoder_name).strip("-")[:60]
        return self.home / "index" / safe

    @property
    def history_path(self) -> Path:
        return self.home / "history.sqlite"
