"""Batch grading of answer sets: read, match each row to its question, grade in chunks, write.

>>> summary = run_batch(settings, Path("answers.csv"), Path("graded.jsonl"), resume=True)

Every graded row is appended to a journal (the JSONL output itself, or `OUTPUT.partial.jsonl`
for CSV and HTML outputs) and flushed, so an interrupted run loses at most the chunk in
flight, and `resume` skips every row the journal already holds. The final CSV or HTML is
written from the journal when all rows are done. Answers are embedded a chunk at a time, in
one encoder call sorted by length (the encoder pads a batch to its longest text).
"""

from __future__ import annotations

import errno
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from index.banks import load_banks
from index.errors import InterviewError
from index.files import write_atomic

from ..core.knowledge import Knowledge
from ..core.settings import Settings
from ..stats.metrics import agreement
from .adhoc import adhoc_bank
from .audio import needs_audio, transcribe_rows
from .chunk import BatchResult
from .engines import graded_chunks
from .rows import AnswerRow, read_answers

CHUNK = 64
OUTPUTS = (".jsonl", ".csv", ".html")


@dataclass
class Summary:
    rows: int = 0
    graded: int = 0
    errors: int = 0
    skipped_done: int = 0
    seconds: float = 0.0
    agreement: dict = field(default_factory=dict)
    results: list[BatchResult] = field(default_factory=list)  # every row's result, in input order

    @property
    def rate(self) -> float:
        return self.graded / self.seconds if self.seconds else 0.0


class Progress:
    """A one-line progress bar on stderr with rate and ETA (plain lines when not a terminal)."""

    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.total, self.stream, self.done = total, stream or sys.stderr, 0
        self.started = self.last = time.perf_counter()
        self.tty = stream.isatty()

    def advance(self, n: int) -> None:
        self.done += n
        now = time.perf_counter()
        if now - self.last < (0.2 if self.tty else 5.0) and self.done < self.total:
            return
        self.last = now
        rate = self.done / max(now - self.started, 1e-9)
        eta = (self.total - self.done) / rate if rate else 0.0
        width = 30
        filled = int(width * self.done / max(self.total, 1))
        line = f"[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} {rate:.1f} answers/s ETA {eta:.0f}s"
        self.stream.write(("\r" + line) if self.tty else (line + "\n"))
        if self.tty and self.done >= self.total:
            self.stream.write("\n")
        self.stream.flush()


def journal_path(output: Path) -> Path:
    return output if output.suffix.lower() == ".jsonl" else output.with_name(output.name + ".partial.jsonl")


def _read_journal(path: Path) -> list[BatchResult]:
    """The complete lines of a journal; a line cut by a crash is dropped from the file."""
    data = path.read_bytes()
    end = data.rfind(b"\n") + 1
    if end < len(data):
        with open(path, "r+b") as f:
            f.truncate(end)
    return [BatchResult.from_dict(json.loads(line)) for line in data[:end].decode("utf-8").splitlines() if line.strip()]


def _with_references(settings: Settings, rows: list[AnswerRow], bank: Path | None) -> tuple[list, list[AnswerRow]]:
    """The banks to grade against, and the rows: those that bring their own reference answer get
    the id of its entry in an in-memory bank."""
    banks = load_banks(bank if bank else settings.content)
    with_refs = [r for r in rows if r.reference and not r.error]
    if not with_refs:
        return banks, rows
    extra, ids = adhoc_bank((*r.reference, r.question_id) for r in with_refs)
    rows = [r.model_copy(update={"question_id": ids[r.reference]}) if r.reference and not r.error else r for r in rows]
    return banks + [extra], rows


def run_batch(
    settings: Settings,
    input_path: Path,
    output: Path,
    bank: Path | None = None,
    labels: str | None = None,
    resume: bool = False,
    strict: bool = False,
    chunk: int = CHUNK,
    workers: int = 1,
    engine: str = "processes",
    scheduler: str | None = None,
    threads: int | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    progress_stream: TextIO | None | str = "stderr",
    kb: Knowledge | None = None,
    audio: bool = True,
    language: str = "ko",
) -> Summary:
    """Grade every row of `input_path` into `output` (.jsonl, .csv or .html); see the module doc.

    `kb`: an already loaded Knowledge to reuse (the web app's), when the rows need no other bank.
    `engine`, `workers`, `scheduler`, `threads`: where the chunks are graded (see app.batch.engines).
    `audio`: transcribe the recordings an `audio` column names (in `language`), before grading;
    False gives those rows an error instead (the web app's uploads).
    """
    if output.suffix.lower() not in OUTPUTS:
        raise InterviewError(f"unsupported output {output}: use .jsonl, .csv or .html")
    rows = read_answers(input_path)
    if not rows:
        raise InterviewError(f"{input_path} has no rows", code="no_rows")
    if all(r.answer is None and r.audio is None for r in rows if not r.error):
        raise InterviewError(
            f"{input_path} has no 'answer' column: name the column of answers 'answer' (or of recordings 'audio')", code="no_answer_column"
        )
    if labels and not any(labels in r.columns for r in rows):
        raise InterviewError(f"{input_path} has no column '{labels}' for --labels", code="no_label_column", column=labels)
    journal = journal_path(output)
    done: list[BatchResult] = []
    if output.exists() and journal != output:
        raise InterviewError(f"{output} already exists (a finished run): remove it, or name another output")
    if journal.exists():
        if not resume:
            raise InterviewError(f"{journal} already exists: pass --resume to continue that run, or remove it")
        done = _read_journal(journal)
    done_keys = {d.id for d in done}
    banks, rows = _with_references(settings, rows, bank)
    todo = [r for r in rows if r.key not in done_keys]
    if any(needs_audio(r) for r in todo):
        from ..speech.transcribe import Whisper

        todo = transcribe_rows(todo, input_path.parent, Whisper(settings.models_dir) if audio else None, language)
    summary = Summary(rows=len(rows), skipped_done=len(rows) - len(todo))
    if kb is None or bank is not None or [b.slug for b in banks] != [b.slug for b in kb.banks]:
        kb = Knowledge.from_banks(banks, settings)  # builds the index once, before any worker loads it
    output.parent.mkdir(parents=True, exist_ok=True)
    # "stderr" is looked up now, not when this module was imported (a test's captured stream may be closed since).
    stream = sys.stderr if progress_stream == "stderr" else progress_stream
    progress = Progress(len(todo), stream) if stream is not None else None
    chunks = [todo[i : i + chunk] for i in range(0, len(todo), chunk)]
    started = time.perf_counter()
    try:
        with (
            graded_chunks(engine, kb, settings, banks, chunks, labels, workers, scheduler, threads) as results,
            open(journal, "a", encoding="utf-8") as out,
        ):
            _write_results(results, out, input_path, strict, summary, progress, on_progress, len(todo))
    except OSError as e:  # the disk is full, or the journal's folder went away
        kept = summary.skipped_done + summary.graded + summary.errors
        raise InterviewError(
            f"cannot write {journal}: {_why(e)}; the {kept} rows written before are kept there: "
            f"free some space and run the same command with --resume"
        ) from None
    summary.seconds = time.perf_counter() - started
    summary.results = sorted(_read_journal(journal), key=lambda r: r.line)
    labelled = [(r.score / 20, r.label) for r in summary.results if labels and r.score is not None and r.label is not None]
    if labelled:
        summary.agreement = agreement([p for p, _ in labelled], [y for _, y in labelled])
    write_output(output, summary.results, summary, kb, title=input_path.name)
    if journal != output:
        journal.unlink(missing_ok=True)
    return summary


def _write_results(graded_chunks, out, input_path: Path, strict: bool, summary: Summary, progress, on_progress, total: int) -> None:
    """Append each chunk's results to the journal and make them durable before the next one."""
    done = 0
    for results in graded_chunks:
        for res in results:
            if strict and res.error:
                raise InterviewError(f"{input_path}:{res.line}: {res.error} (--strict stops at the first bad row)")
            out.write(json.dumps(res.to_dict(), ensure_ascii=False) + "\n")
        out.flush()
        os.fsync(out.fileno())
        summary.graded += sum(1 for r in results if not r.error)
        summary.errors += sum(1 for r in results if r.error)
        done += len(results)
        if progress:
            progress.advance(len(results))
        if on_progress:
            on_progress(done, total)


def write_output(output: Path, results: list[BatchResult], summary: Summary, kb: Knowledge, title: str) -> None:
    """Write results as JSONL, CSV (with a BOM, for Excel) or the HTML report, by the output's extension, atomically."""
    from .report import csv_text, html_report

    suffix = output.suffix.lower()
    if suffix == ".jsonl":
        text = "".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in results)
    elif suffix == ".csv":
        text = csv_text(results)
    else:
        text = html_report(results, summary, kb, title=title)
    try:
        write_atomic(output, text, encoding="utf-8-sig" if suffix == ".csv" else "utf-8")
    except OSError as e:
        raise InterviewError(
            f"cannot write {output}: {_why(e)}; the graded rows are kept in {journal_path(output)}: "
            f"free some space and run the same command with --resume"
        ) from None


def _why(e: OSError) -> str:
    return "the disk is full" if e.errno == errno.ENOSPC else (e.strerror or str(e))
