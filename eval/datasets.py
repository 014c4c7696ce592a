"""Read labelled answer sets (CSV or JSONL) into plain rows."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from index.errors import InterviewError
from index.files import read_text


def read_rows(path: str | Path) -> list[dict]:
    """Return the rows of a .csv (UTF-8, BOM allowed) or .jsonl file as dicts, each with its `line`."""
    p = Path(path)
    text = read_text(p, "data file")
    rows: list[dict] = []
    if p.suffix.lower() == ".jsonl":
        for no, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as e:
                raise InterviewError(f"{p}:{no}: not a JSON object ({e.msg}): one object per line") from None
            if not isinstance(row, dict):
                raise InterviewError(f"{p}:{no}: expected a JSON object, got {type(row).__name__}")
            rows.append({**row, "line": no})
    elif p.suffix.lower() == ".csv":
        reader = csv.DictReader(text.splitlines())
        for no, row in enumerate(reader, start=2):
            rows.append({**{k.strip(): v for k, v in row.items() if k}, "line": no})
    else:
        raise InterviewError(f"unsupported data file {p}: use .csv or .jsonl")
    return rows


def graded_rows(path: str | Path) -> list[dict]:
    """Rows with an answer and a numeric `grade` 0-5; raise InterviewError naming the first bad row."""
    rows = read_rows(path)
    for r in rows:
        if "answer" not in r:
            raise InterviewError(f"{path}:{r['line']}: no 'answer' column")
        if not r.get("question_id") and not (r.get("question") and r.get("reference_answer")):
            raise InterviewError(f"{path}:{r['line']}: needs 'question_id', or 'question' and 'reference_answer'")
        try:
            r["grade"] = float(r["grade"])
        except (KeyError, TypeError, ValueError):
            raise InterviewError(f"{path}:{r['line']}: 'grade' must be a number from 0 to 5, got {r.get('grade')!r}") from None
        if not 0 <= r["grade"] <= 5:
            raise InterviewError(f"{path}:{r['line']}: 'grade' must be from 0 to 5, got {r['grade']}")
        r["answer"] = str(r["answer"] or "")
        if r.get("question_id") is not None:
            r["question_id"] = str(r["question_id"])
    return rows
