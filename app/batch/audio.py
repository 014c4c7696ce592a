"""Recorded answers in an answer set: a row's `audio` cell names a file beside the answer file.

>>> rows = transcribe_rows(rows, base=input_path.parent, whisper=Whisper(settings.models_dir))

A row whose `answer` cell is empty and whose `audio` cell names a recording gets the transcript
as its answer (and `audio_seconds`); a typed answer in the same row wins over the recording. A
recording that cannot be used gives the row a one-line error, and the run goes on.
"""

from __future__ import annotations

from pathlib import Path

from index.errors import InterviewError

from ..speech.transcribe import Whisper
from .rows import AnswerRow

NOT_HERE = "recorded answers are read by the command line only (interview batch FILE): type the answer into the 'answer' column"


def needs_audio(row: AnswerRow) -> bool:
    return not row.error and not (row.answer or "").strip() and bool((row.audio or "").strip())


def transcribe_rows(rows: list[AnswerRow], base: Path, whisper: Whisper | None, language: str = "ko") -> list[AnswerRow]:
    """Each row that needs it with its recording transcribed into `answer`; `whisper` None refuses
    recordings (the web app: an uploaded table must not name files on the server)."""
    out = []
    for row in rows:
        if not needs_audio(row):
            out.append(row)
            continue
        if whisper is None:
            out.append(row.model_copy(update={"error": NOT_HERE}))
            continue
        cell = row.audio.strip()
        path = Path(cell) if Path(cell).is_absolute() else base / cell
        try:
            t = whisper.transcribe(path, language=language)
        except InterviewError as e:
            out.append(row.model_copy(update={"error": f"audio '{cell}': {e}"}))
            continue
        out.append(row.model_copy(update={"answer": t.text, "audio_seconds": t.seconds}))
    return out
