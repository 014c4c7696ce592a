"""Bank files on disk: read one (with its lint problems), load one or a whole content folder.

>>> bank = load_bank("content/deep-learning.md")
>>> bank.get("deep-learning/12-1").parent_id
'deep-learning/12'
"""

from __future__ import annotations

import logging
from pathlib import Path

from .bank import Bank, Problem, parse_bank
from .errors import InterviewError
from .files import read_text

log = logging.getLogger("interview.bank")
RESERVED = "all"  # the slug that stands for every bank (app.practice.interview.ALL_BANKS)


def slug_for(path: str | Path) -> str:
    """Return the bank slug of a file: its name without `.md`, lower-cased."""
    return Path(path).stem.lower()


def read_bank(path: str | Path) -> tuple[Bank, list[Problem]]:
    """Read and parse one bank file; raise InterviewError when it cannot be read."""
    p = Path(path)
    return parse_bank(read_text(p, "bank file"), slug_for(p), str(p))


def load_bank(path: str | Path) -> Bank:
    """Read a bank; raise InterviewError naming the first error when it has any."""
    bank, problems = read_bank(path)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        more = f" (and {len(errors) - 1} more: run 'interview bank check {path}')" if len(errors) > 1 else ""
        raise InterviewError(f"{errors[0]}{more}")
    structure = [p for p in problems if "kept as a main question" in p.message]
    if structure:
        log.warning("%s: %d sub-question(s) without their parent are kept as main questions (run 'interview bank check %s')",
                    path, len(structure), path)
    return bank


def bank_files(content: str | Path) -> list[Path]:
    """Return the bank files of a content folder (every *.md but README.md), sorted."""
    root = Path(content)
    if root.is_file():
        return [root]
    if not root.is_dir():
        raise InterviewError(f"content folder not found: {root}: pass --content DIR with your banks")
    files = sorted(p for p in root.glob("*.md") if p.name.lower() != "readme.md")
    if not files:
        raise InterviewError(f"no bank files (*.md) in {root}: add one as content/README.md describes")
    return files


def load_banks(content: str | Path) -> list[Bank]:
    """Load every bank of a content folder (or one file); slugs must be unique."""
    banks = [load_bank(p) for p in bank_files(content)]
    slugs = [b.slug for b in banks]
    dup = next((s for s in slugs if slugs.count(s) > 1), None)
    if dup:
        raise InterviewError(f"two banks are named '{dup}': rename one of the files")
    if RESERVED in slugs:
        raise InterviewError(f"a bank cannot be named '{RESERVED}' (it means every bank): rename {RESERVED}.md")
    return banks
