"""The benchmark commands: agreement of the grader with human grades, and retrieval quality.

>>> bench_grader(settings, "eval/data/ko-answers.jsonl", cv=5)   # question-wise cross-validation
{'n': 279, 'pearson': ..., 'spearman': ..., 'qwk': ..., 'rmse': ..., 'pass_accuracy': ...}
>>> bench_retrieval(settings, "eval/data/retrieval.csv")
{'n': 224, 'recall@1': ..., 'recall@5': ..., 'mrr@5': ..., 'rejection': ..., 'false_rejection': ...}

Rows that name a `question_id` are graded against the banks in `settings.content`; rows
that carry `question` and `reference_answer` instead become an in-memory bank (one entry
per distinct question and reference, key points derived from the reference's sentences),
indexed like any other.
"""

from __future__ import annotations

import hashlib
import time

from app.knowledge import Knowledge
from app.settings import Settings
from index.bank import Bank, Question
from index.errors import InterviewError

from .datasets import graded_rows, read_rows
from .metrics import agreement, retrieval
from .train import cross_validate, measure_rows, predict


def adhoc_bank(rows: list[dict]) -> Bank:
    """Make a bank of the distinct (question, reference_answer) pairs in rows; set each row's question_id."""
    key_of: dict[tuple[str, str], str] = {}
    questions: list[Question] = []
    digest = hashlib.sha256()
    for r in rows:
        key = (str(r["question"]).strip(), str(r["reference_answer"]).strip())
        if key not in key_of:
            digest.update("\0".join(key).encode("utf-8"))
    slug = f"adhoc-{digest.hexdigest()[:10]}"
    for r in rows:
        key = (str(r["question"]).strip(), str(r["reference_answer"]).strip())
        if key not in key_of:
            anchor = str(len(key_of) + 1)
            key_of[key] = f"{slug}/{anchor}"
            questions.append(Question(id=key_of[key], bank=slug, anchor=anchor, parent=None, question=key[0], answer=key[1]))
        r["question_id"] = key_of[key]
    return Bank(slug=slug, title="reference answers from a data file", path="<data>", questions=tuple(questions))


def knowledge_for(settings: Settings, rows: list[dict]) -> Knowledge:
    """The banks these rows are graded against: the content's, or one built from the rows' references."""
    with_ids = [r for r in rows if r.get("question_id")]
    if with_ids and len(with_ids) < len(rows):
        raise InterviewError("mix of rows with and without 'question_id': give every row a question_id, or every row question + reference_answer")
    if with_ids:
        return Knowledge.open(settings)
    return Knowledge.from_banks([adhoc_bank(rows)], settings)


def bench_grader(settings: Settings, path: str, cv: int | None = None, alpha: float = 3.0) -> dict:
    """Grader agreement on a labelled file: with the shipped model, or question-wise `cv`-fold cross-validation."""
    rows = graded_rows(path)
    kb = knowledge_for(settings, rows)
    started = time.perf_counter()
    examples = measure_rows(kb, rows)
    if cv:
        metrics, _ = cross_validate(kb, examples, k=cv, alpha=alpha)
    else:
        metrics = agreement(predict(kb, examples, kb.score_model), [e.grade for e in examples])
    metrics["seconds_per_answer"] = (time.perf_counter() - started) / max(len(rows), 1)
    metrics["mode"] = f"{cv}-fold question-wise cross-validation" if cv else f"shipped model for {kb.score_model.encoder}"
    return metrics


def bench_retrieval(settings: Settings, path: str, k: int = 5) -> dict:
    """recall@1/@5, MRR@5 and the in-bank decision on a file of (query, expected) rows."""
    from app.ask import ask

    rows = read_rows(path)
    for r in rows:
        if not str(r.get("query", "")).strip():
            raise InterviewError(f"{path}:{r['line']}: empty 'query'")
    kb = Knowledge.open(settings)
    ranked, expected, accepted = [], [], []
    for r in rows:
        exp = (r.get("expected") or "").strip() or None
        if exp and exp not in kb.questions:
            raise InterviewError(f"{path}:{r['line']}: expected id '{exp}' is not in the banks")
        a = ask(kb, r["query"], k=k)
        ranked.append([c.question_id for c in a.citations])
        expected.append(exp)
        accepted.append(a.in_bank)
    return retrieval(ranked, expected, accepted)
