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
    """Make a bank of the distinct (question, reference_answer) pairs in rows; set each row's question_id.

    A row's own `question_id`, when it has one, becomes the entry's anchor, so results can
    be traced back to the file ("1.1" -> "adhoc-…/1.1").
    """
    digest = hashlib.sha256()
    pairs: dict[tuple[str, str], str] = {}
    for r in rows:
        key = (str(r["question"]).strip(), str(r["reference_answer"]).strip())
        if key not in pairs:
            pairs[key] = str(r.get("question_id") or "").strip() or str(len(pairs) + 1)
            digest.update("\0".join(key).encode("utf-8"))
    slug = f"adhoc-{digest.hexdigest()[:10]}"
    if len(set(pairs.values())) < len(pairs):  # the file reuses an id for different questions
        pairs = {key: str(i) for i, key in enumerate(pairs, start=1)}
    questions = [Question(id=f"{slug}/{a}", bank=slug, anchor=a, parent=None, question=q, answer=ref) for (q, ref), a in pairs.items()]
    for r in rows:
        r["question_id"] = f"{slug}/{pairs[(str(r['question']).strip(), str(r['reference_answer']).strip())]}"
    return Bank(slug=slug, title="reference answers from a data file", path="<data>", questions=tuple(questions))


def knowledge_for(settings: Settings, rows: list[dict]) -> Knowledge:
    """The banks these rows are graded against: their own references when every row has one, else the content's."""
    if rows and all(str(r.get("question") or "").strip() and str(r.get("reference_answer") or "").strip() for r in rows):
        return Knowledge.from_banks([adhoc_bank(rows)], settings)
    missing = next((r for r in rows if not r.get("question_id")), None)
    if missing:
        raise InterviewError(f"line {missing['line']}: no question_id, and not every row has question + reference_answer")
    return Knowledge.open(settings)


def bench_grader(settings: Settings, path: str, cv: int | None = None) -> dict:
    """Grader agreement on a labelled file: with the shipped model, or question-wise `cv`-fold cross-validation."""
    rows = graded_rows(path)
    kb = knowledge_for(settings, rows)
    started = time.perf_counter()
    examples = measure_rows(kb, rows)
    if cv:
        metrics, _ = cross_validate(kb, examples, k=cv)
    else:
        metrics = agreement(predict(kb, examples, kb.score_model), [e.grade for e in examples])
    metrics["seconds_per_answer"] = (time.perf_counter() - started) / max(len(rows), 1)
    metrics["mode"] = f"{cv}-fold question-wise cross-validation" if cv else f"shipped model for {kb.score_model.encoder}"
    return metrics


def bench_retrieval(settings: Settings, path: str, k: int = 5, cv: int | None = None) -> dict:
    """recall@1/@5, MRR@5 and the in-bank decision on a file of (query, expected) rows.

    With `cv`, the in-bank model is refitted by `cv`-fold cross-validation on the file and
    the rejection figures are the out-of-fold ones (use this on the data the shipped model
    was fitted on); the ranking has no fitted part.
    """
    from app.ask import IN_BANK_THRESHOLD, ask

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
    metrics = retrieval(ranked, expected, accepted)
    metrics["mode"] = "shipped in-bank model" if kb.relevance_model else f"dense threshold {IN_BANK_THRESHOLD}"
    if cv:
        from .train import fit_relevance

        folds, _ = fit_relevance(kb, rows, k=cv)
        metrics.update(rejection=folds["rejection"], false_rejection=folds["false_rejection"], mode=f"in-bank decision by {cv}-fold cross-validation")
    return metrics
