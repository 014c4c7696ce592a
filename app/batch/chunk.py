"""The unit of work of a batch run: grade a chunk of answer rows against a loaded Knowledge.

`grade_chunk(kb, rows, labels)` is a pure function of the index and the rows, so any engine
(`app.batch.engines`) can run it anywhere the banks can be loaded. The answers' sentences are
embedded in one encoder call per chunk, shortest first to keep the padding low.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace

import numpy as np

from ..ask.answer import confidence, covered, retrieve
from ..core.knowledge import Knowledge
from ..grading.grade import grade, says_nothing
from ..grading.signals import split_answer
from .rows import AnswerRow

# Left out of a result's dict when None.
OPTIONAL = ("label", "matched_question", "match_confidence", "message", "transcript", "audio_seconds")


@dataclass(frozen=True)
class BatchResult:
    """What a batch run says about one row; `error` is set (and `score` None) when it was not graded."""

    id: str
    line: int
    respondent: str | None = None
    question_id: str | None = None
    score: int | None = None
    verdict: str | None = None
    covered: tuple[str, ...] = ()
    missed: tuple[str, ...] = ()
    contradicted: tuple[str, ...] = ()
    misconceptions: tuple[str, ...] = ()
    key_points: tuple[dict, ...] = ()  # each {"text", "status": covered/contradicted/missed, "evidence"}
    error: str | None = None
    message: str | None = None
    label: float | None = None
    matched_question: str | None = None
    match_confidence: float | None = None
    transcript: str | None = None  # what a recorded answer was transcribed to (the text graded)
    audio_seconds: float | None = None
    extra: dict = field(default_factory=dict, compare=False)  # keys of a journal line this version does not know

    def to_dict(self) -> dict:
        d = {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(self).items() if k != "extra"}
        return {**{k: v for k, v in d.items() if not (k in OPTIONAL and v is None)}, **self.extra}

    @classmethod
    def from_dict(cls, d: dict) -> "BatchResult":
        names = set(cls.__dataclass_fields__) - {"extra"}
        known = {k: (tuple(v) if isinstance(v, list) else v) for k, v in d.items() if k in names}
        return cls(**known, extra={k: v for k, v in d.items() if k not in names})


def _label(value: str | None) -> float | None:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return v if 0 <= v <= 5 else None


def resolve(kb: Knowledge, row: AnswerRow, result: BatchResult) -> BatchResult:
    """Find the row's question: by id (a reference-answer row's id is set by the run), or by matching free text."""
    if row.error:
        return replace(result, error=row.error)
    if not row.answer:
        return replace(result, error="missing answer")
    qid = (row.question_id or "").strip()
    if qid:
        if qid not in kb.questions:
            hint = kb.closest(qid)
            return replace(result, error=f"unknown question id '{qid}'" + (f" (did you mean {hint}?)" if hint else ""))
        return replace(result, question_id=qid)
    question = (row.question or "").strip()
    if not question:
        return replace(result, error="no question_id and no question")
    found = retrieve(kb, question, k=1)
    top = found.sources[0].question_id if found.sources else None
    sure = round(confidence(kb, found.signals), 3)
    if top is None or not covered(kb, found.signals):
        return replace(
            result,
            error=f"question not covered by the bank (closest: {top or '-'}, confidence {sure:.2f})",
            matched_question=top,
            match_confidence=sure,
        )
    return replace(result, question_id=top, matched_question=top, match_confidence=sure)


def grade_chunk(kb: Knowledge, rows: list[AnswerRow], labels: str | None = None) -> list[BatchResult]:
    """Grade a chunk of rows, in order; a row that cannot be graded gets its error instead."""
    results: list[BatchResult] = []
    pending: list[tuple[int, AnswerRow, list[str] | None]] = []
    for row in rows:
        res = BatchResult(id=row.key, line=row.line, respondent=row.respondent, label=_label(row.columns.get(labels)) if labels else None)
        if row.audio_seconds is not None:
            res = replace(res, transcript=row.answer, audio_seconds=round(row.audio_seconds, 1))
        res = resolve(kb, row, res)
        if res.error is None and not kb.questions[res.question_id].answered:
            res = replace(res, error=f"question '{res.question_id}' has no reference answer")
        if res.error is None:
            q = kb.questions[res.question_id]
            pending.append((len(results), row, None if says_nothing(q, row.answer) else split_answer(row.answer)[1]))
        results.append(res)
    sents = sorted({s for _, _, ss in pending if ss for s in ss}, key=len)
    vectors = dict(zip(sents, kb.embed(sents))) if sents else {}
    for i, row, ss in pending:
        g = grade(kb, results[i].question_id, row.answer, vectors=np.stack([vectors[s] for s in ss]) if ss else None)
        results[i] = replace(
            results[i],
            score=g.score,
            verdict=g.verdict,
            covered=tuple(g.covered),
            missed=tuple(g.missed),
            contradicted=tuple(g.contradicted),
            misconceptions=tuple(m.claim for m in g.misconceptions),
            key_points=tuple({"text": k.text, "status": k.status, "evidence": k.evidence} for k in g.key_points),
            message=g.message,
        )
    return results
