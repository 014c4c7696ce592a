"""Read answer sets (CSV in UTF-8 or CP949, JSONL, XLSX) into plain rows."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from index.errors import InterviewError
from index.files import read_bytes


ENCODINGS = ("utf-8-sig", "cp949")  # CP949 is what Excel writes for Korean; it covers EUC-KR
MAX_CELL = 32 * 1024 * 1024  # a CSV cell may hold a whole (oversized) answer; the grader cuts it later


def decode(data: bytes) -> tuple[str, str]:
    """Decode file bytes as UTF-8 (BOM allowed), else CP949/EUC-KR; else UTF-8 with U+FFFD marks."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace"), "utf-8 (with undecodable bytes)"


def read_rows(path: str | Path, strict: bool = True) -> list[dict]:
    """Return the rows of a .csv, .jsonl or .xlsx file as dicts, each with the `line` it starts on.

    With `strict=False`, a row that cannot be read (a broken JSON line, undecodable bytes) is
    kept as {"line": n, "_error": "..."} instead of stopping the whole file.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in (".csv", ".jsonl", ".xlsx"):
        raise InterviewError(f"unsupported data file {p}: use .csv, .jsonl or .xlsx")
    if suffix == ".xlsx":
        return _xlsx_rows(p)
    text, _ = decode(read_bytes(p, "data file"))
    rows = _jsonl_rows(p, text, strict) if suffix == ".jsonl" else _csv_rows(p, text)
    for r in rows:
        if "_error" not in r and any("\ufffd" in str(v) for v in r.values()):
            if strict:
                raise InterviewError(f"{p}:{r['line']}: bytes that are neither UTF-8 nor CP949: save the file as UTF-8")
            r["_error"] = "bytes that are neither UTF-8 nor CP949 (save the file as UTF-8)"
    return rows


def _jsonl_rows(p: Path, text: str, strict: bool) -> list[dict]:
    rows = []
    for no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if not isinstance(row, dict):
                raise ValueError(f"expected a JSON object, got {type(row).__name__}")
        except (ValueError, RecursionError) as e:
            reason = "nested too deeply" if isinstance(e, RecursionError) else getattr(e, "msg", e)
            msg = f"not a JSON object ({reason}): one object per line"
            if strict:
                raise InterviewError(f"{p}:{no}: {msg}") from None
            rows.append({"line": no, "_error": msg})
            continue
        rows.append({**row, "line": no})
    return rows


def _csv_rows(p: Path, text: str) -> list[dict]:
    csv.field_size_limit(max(csv.field_size_limit(), MAX_CELL))
    rows = []
    reader = csv.DictReader(io.StringIO(text, newline=""))
    start = 2
    try:
        for row in reader:
            clean = {k.strip(): v for k, v in row.items() if k and k.strip()}
            rows.append({**clean, "line": start})
            start = reader.line_num + 1
    except csv.Error as e:  # the file cannot be split into cells past this point
        raise InterviewError(f"{p}:{reader.line_num}: not readable as CSV ({e}): save it again as CSV") from None
    return rows


def _xlsx_rows(p: Path) -> list[dict]:
    try:
        from openpyxl import load_workbook
    except ImportError:
        raise InterviewError("reading .xlsx needs the openpyxl package: run 'make install'") from None
    try:
        book = load_workbook(p, read_only=True, data_only=True)
    except FileNotFoundError:
        raise InterviewError(f"data file not found: {p}: check the path") from None
    except Exception as e:  # openpyxl raises several types for a damaged workbook
        raise InterviewError(f"cannot read {p} as an Excel workbook ({type(e).__name__}): save it again as .xlsx") from None
    sheet = book.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(values, [])]
    rows = []
    for no, cells in enumerate(values, start=2):
        if cells is None or all(c is None for c in cells):
            continue
        rows.append({**{h: ("" if c is None else str(c)) for h, c in zip(header, cells) if h}, "line": no})
    book.close()
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
