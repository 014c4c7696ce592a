"""Settings: built once at the entry point and passed down. Only here is the environment read."""

from __future__ import annotations

import hashlib
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

    def index_dir(self, encoder_name: str, banks: list[str] | None = None) -> Path:
        """One index folder per encoder and set of banks, so neither switch clobbers another index."""
        safe = re.sub(r"[^A-Za-z0-9._-]+", "-", encoder_name).strip("-")[:60]
        which = "-".join(sorted(banks or []))[:60] or "default"
        digest = hashlib.sha256("\n".join(sorted(banks or [])).encode()).hexdigest()[:8]
        return self.home / "index" / safe / f"{which}-{digest}"

    @property
    def history_path(self) -> Path:
        return self.home / "history.sqlite"
