"""Read tables people give the tool (CSV in UTF-8 or CP949, JSONL, XLSX): records, and answer rows.

>>> rows = read_answers(Path("answers.csv"))          # list[AnswerRow], one per data row
>>> rows[0].line, rows[0].question_id, rows[0].error

A record that cannot be read (a broken JSON line, bytes that are neither UTF-8 nor CP949)
stays in the list with its `error`, so a batch run reports it with its line and goes on.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict

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


@dataclass(frozen=True)
class Record:
    """One data row of a table: the line it starts on, its cells by column, or why it cannot be read."""

    line: int
    values: dict = field(default_factory=dict)  # column -> cell: text from CSV and XLSX, JSON values as given
    error: str | None = None

    def text(self, column: str) -> str | None:
        """A cell as text (None when the column is missing or the cell is null)."""
        value = self.values.get(column)
        return None if value is None else str(value)


def reference_pair(question: str | None, reference_answer: str | None) -> tuple[str, str] | None:
    """(question, reference answer), stripped, when a row carries both; else None."""
    q, ref = (question or "").strip(), (reference_answer or "").strip()
    return (q, ref) if q and ref else None


class AnswerRow(BaseModel):
    """One answer of an answer set: what to grade, against which question, and who wrote it."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    line: int
    answer: str | None = None
    question_id: str | None = None
    question: str | None = None
    reference_answer: str | None = None
    id: str | None = None
    respondent: str | None = None
    audio: str | None = None  # a recorded answer: a path relative to the answer file, transcribed when `answer` is empty
    audio_seconds: float | None = None  # set once the recording was transcribed into `answer`
    error: str | None = None  # why the row could not be read
    columns: dict[str, str] = {}  # every other column (human grades, notes), as text

    @property
    def key(self) -> str:
        """The row's name in results and in a resumed run's journal: its id, else its line."""
        return (self.id or "").strip() or f"line {self.line}"

    @property
    def reference(self) -> tuple[str, str] | None:
        """(question, reference answer) when the row carries both: it is graded against them."""
        return reference_pair(self.question, self.reference_answer)

    @classmethod
    def from_record(cls, r: Record) -> "AnswerRow":
        known = {name: r.text(name) for name in ("answer", "question_id", "question", "reference_answer", "id", "respondent", "audio")}
        others = {k: ("" if v is None else str(v)) for k, v in r.values.items() if k not in known}
        return cls(line=r.line, error=r.error, columns=others, **known)


def read_records(path: str | Path, strict: bool = True) -> list[Record]:
    """Return the data rows of a .csv, .jsonl or .xlsx file, each with the line it starts on.

    With `strict=False`, a row that cannot be read (a broken JSON line, undecodable bytes) is
    kept with its `error` instead of stopping the whole file.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in (".csv", ".jsonl", ".xlsx"):
        raise InterviewError(f"unsupported data file {p}: use .csv, .jsonl or .xlsx", code="unsupported_data")
    if suffix == ".xlsx":
        return _xlsx_rows(p)
    text, _ = decode(read_bytes(p, "data file"))
    rows = _jsonl_rows(p, text, strict) if suffix == ".jsonl" else _csv_rows(p, text)
    out = []
    for r in rows:
        if r.error is None and any("\ufffd" in str(v) for v in r.values.values()):
            if strict:
                raise InterviewError(f"{p}:{r.line}: bytes that are neither UTF-8 nor CP949: save the file as UTF-8")
            r = Record(r.line, r.values, "bytes that are neither UTF-8 nor CP949 (save the file as UTF-8)")
        out.append(r)
    return out


def read_answers(path: str | Path, strict: bool = False) -> list[AnswerRow]:
    """The rows of an answer set; see `read_records` for `strict`."""
    return [AnswerRow.from_record(r) for r in read_records(path, strict)]


def columns(records: list[Record]) -> set[str]:
    """Every column name that some readable record has."""
    return {k for r in records for k in r.values}


def _jsonl_rows(p: Path, text: str, strict: bool) -> list[Record]:
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
            rows.append(Record(no, {}, msg))
            continue
        rows.append(Record(no, row))
    return rows


def _csv_rows(p: Path, text: str) -> list[Record]:
    csv.field_size_limit(max(csv.field_size_limit(), MAX_CELL))
    rows = []
    reader = csv.DictReader(io.StringIO(text, newline=""))
    start = 2
    try:
        for row in reader:
            clean = {k.strip(): v for k, v in row.items() if k and k.strip()}
            rows.append(Record(start, clean))
            start = reader.line_num + 1
    except csv.Error as e:  # the file cannot be split into cells past this point
        raise InterviewError(
            f"{p}:{reader.line_num}: not readable as CSV ({e}): save it again as CSV", code="bad_csv", line=reader.line_num
        ) from None
    return rows


def _xlsx_rows(p: Path) -> list[Record]:
    try:
        from openpyxl import load_workbook
    except ImportError:
        raise InterviewError("reading .xlsx needs the openpyxl package: run 'make install'") from None
    try:
        book = load_workbook(p, read_only=True, data_only=True)
    except FileNotFoundError:
        raise InterviewError(f"data file not found: {p}: check the path") from None
    except Exception as e:  # openpyxl raises several types for a damaged workbook
        raise InterviewError(
            f"cannot read {p} as an Excel workbook ({type(e).__name__}): save it again as .xlsx", code="bad_xlsx"
        ) from None
    sheet = book.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(values, [])]
    rows = []
    for no, cells in enumerate(values, start=2):
        if cells is None or all(c is None for c in cells):
            continue
        rows.append(Record(no, {h: ("" if c is None else str(c)) for h, c in zip(header, cells) if h}))
    book.close()
    return rows
