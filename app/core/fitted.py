"""Fitted parameters (the grader, the in-bank decision): small JSON files, one entry per encoder.

The package ships one file per model next to the code that evaluates it (read-only). `interview
train` writes its entries under the data root (`$INTERVIEW_HOME/models/NAME.json`), never inside
the installed package; an entry found there is used instead of the package's for that encoder.
"""

from __future__ import annotations

import json
from pathlib import Path

from index.files import write_atomic


def _read(path: Path) -> dict:
    """All entries of a parameter file; an empty dict when it is missing or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def read(package_file: Path, models_dir: Path | None = None) -> dict:
    """The entries of a model file: the package's, each replaced by the data root's when it has one."""
    entries = _read(package_file)
    if models_dir is not None:
        entries.update(_read(models_dir / package_file.name))
    return entries


def write(path: Path, encoder: str, entry: dict) -> Path:
    """Replace the entry of `encoder` in the file at `path`, keeping the others; atomic. Returns the path."""
    data = _read(path)
    data[encoder] = entry
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    return path
