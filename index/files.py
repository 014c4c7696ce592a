"""Reading files people give the tool, with one-line errors that say what to do."""

from __future__ import annotations

from pathlib import Path

from .errors import InterviewError


def read_text(path: str | Path, what: str = "file") -> str:
    """Return a UTF-8 text file (a BOM is allowed); raise InterviewError naming `what` and the fix."""
    p = Path(path)
    try:
        return p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InterviewError(f"{what} not found: {p}: check the path") from None
    except IsADirectoryError:
        raise InterviewError(f"{p} is a directory, not a {what}: name a file") from None
    except PermissionError:
        raise InterviewError(f"cannot read {what} {p}: permission denied") from None
    except UnicodeDecodeError as e:
        raise InterviewError(f"{what} {p} is not UTF-8 text (byte {e.start}): save it as UTF-8") from None
    except OSError as e:
        raise InterviewError(f"cannot read {what} {p}: {e.strerror}") from None
