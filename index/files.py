"""Files people give the tool and files it gives back: one-line read errors that say what to do,
and spreadsheet cells that cannot run as formulas."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from .errors import InterviewError


def read_bytes(path: str | Path, what: str = "file") -> bytes:
    """Return a file's bytes; raise InterviewError naming `what`, the path and the fix."""
    p = Path(path)
    try:
        return p.read_bytes()
    except FileNotFoundError:
        raise InterviewError(f"{what} not found: {p}: check the path") from None
    except IsADirectoryError:
        raise InterviewError(f"{p} is a directory, not a {what}: name a file") from None
    except PermissionError:
        raise InterviewError(f"cannot read {what} {p}: permission denied") from None
    except OSError as e:
        raise InterviewError(f"cannot read {what} {p}: {e.strerror}") from None


def read_text(path: str | Path, what: str = "file") -> str:
    """Return a UTF-8 text file (a BOM is allowed); raise InterviewError naming `what` and the fix."""
    try:
        return read_bytes(path, what).decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InterviewError(f"{what} {Path(path)} is not UTF-8 text (byte {e.start}): save it as UTF-8") from None


def write_atomic(path: str | Path, data: bytes | str, encoding: str = "utf-8") -> str:
    """Write `data` to `path` through a temporary file in the same folder, synced, then renamed into
    place, so a crash leaves the old file or the new one, never half of one; return its SHA-256.

    An OSError (a full disk, a missing folder) propagates after the temporary file is removed."""
    p = Path(path)
    payload = data.encode(encoding) if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=f".{p.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, p)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return hashlib.sha256(payload).hexdigest()


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what Excel and LibreOffice read as a formula


def csv_cell(value) -> str | int | float:
    """A CSV cell that a spreadsheet shows as text: a string that would start a formula gets a
    leading apostrophe (the OWASP advice against CSV injection); numbers are left as numbers."""
    if value is None:
        return ""
    if isinstance(value, list):
        value = " | ".join(map(str, value))
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
