"""Labelled files for measuring the grader: answers with a human grade 0-5."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from app.batch.rows import read_records, reference_pair
from index.errors import InterviewError


@dataclass(frozen=True)
class GradedAnswer:
    """One labelled answer: to a bank question (`question_id`), or to a question with its own reference."""

    line: int
    answer: str
    grade: float
    question_id: str | None = None
    question: str | None = None
    reference_answer: str | None = None
    kind: str | None = None  # which case the row was written to test (eval/data/GRADING.md)

    @property
    def reference(self) -> tuple[str, str] | None:
        return reference_pair(self.question, self.reference_answer)

    def for_question(self, question_id: str) -> "GradedAnswer":
        return replace(self, question_id=question_id)


def graded_rows(path: str | Path) -> list[GradedAnswer]:
    """Rows with an answer and a numeric `grade` 0-5; raise InterviewError naming the first bad row."""
    out = []
    for r in read_records(path):
        if "answer" not in r.values:
            raise InterviewError(f"{path}:{r.line}: no 'answer' column")
        if not r.text("question_id") and not (r.text("question") and r.text("reference_answer")):
            raise InterviewError(f"{path}:{r.line}: needs 'question_id', or 'question' and 'reference_answer'")
        try:
            grade = float(r.values["grade"])
        except (KeyError, TypeError, ValueError):
            raise InterviewError(f"{path}:{r.line}: 'grade' must be a number from 0 to 5, got {r.values.get('grade')!r}") from None
        if not 0 <= grade <= 5:
            raise InterviewError(f"{path}:{r.line}: 'grade' must be from 0 to 5, got {grade}")
        out.append(
            GradedAnswer(
                r.line, r.text("answer") or "", grade, r.text("question_id"), r.text("question"), r.text("reference_answer"), r.text("kind")
            )
        )
    return out
