"""The `interview` command: a thin shell over the domain (grading, ask, practice, batch) and eval.

Importing it is cheap (no numpy, no model): `main` first calls `configure_environment`, then
each command imports what it needs.
"""

from __future__ import annotations

import logging
import sys

from app.core.settings import configure_environment
from index.errors import InterviewError


def main(argv: list[str] | None = None) -> int:
    """Run one command; a user error prints one `error:` line and returns 1."""
    configure_environment()
    from .parser import build_parser

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("interview: %(message)s"))
    log = logging.getLogger("interview")
    if not log.handlers:
        log.addHandler(handler)
    log.setLevel(logging.INFO)
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except InterviewError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
