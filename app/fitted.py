"""Fitted parameters kept as small JSON files in the package, one entry per encoder."""

from __future__ import annotations

import json
from pathlib import Path


def read(path: Path) -> dict:
    """All entries of a parameter file; an empty dict when it is missing or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write(path: Path, encoder: str, entry: dict) -> None:
    """Replace the entry of `encoder`, keeping the others; written to a temporary file and renamed."""
    data = read(path)
    data[encoder] = entry
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)
