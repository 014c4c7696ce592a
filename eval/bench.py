"""The benchmark commands: agreement of the grader with human grades, and retrieval quality.

>>> bench_grader(settings, "eval/data/ko-answers.jsonl", cv=5)   # question-wise cross-validation
{'n': 279, 'pearson': ..., 'spearman': ..., 'qwk': ..., 'rmse': ..., 'pass_accuracy': ...}
>>> bench_retrieval(settings, "eval/data/retrieval.csv")
{'n': 224, 'recall@1': ..., 'recall@5': ..., 'mrr@5': ..., 'rejection': ..., 'false_rejection': ...}

Rows that name a `question_id` are graded against the banks in `settings.content`; rows
that carry `question` and `reference_answer` instead become an in-memory bank
(`app.batch.adhoc`), indexed like any other.
"""

from __future__ import annotations

import time

from app.ask.answer import IN_BANK_THRESHOLD, covered, retrieve
from app.ask.relevance import model_for as relevance_model
from app.batch.adhoc import adhoc_bank
from app.batch.rows import read_records
from app.core.knowledge import Knowledge
from app.core.settings import Settings
from app.grading.scoring import model_for
from app.stats.metrics import agreement
from index.errors import InterviewError

from .datasets import GradedAnswer, graded_rows
from .metrics import retrieval, ticks
from .train import cross_validate, fit_relevance, measure_rows, predict


def knowledge_for(settings: Settings, rows: list[GradedAnswer]) -> tuple[Knowledge, list[GradedAnswer]]:
    """The banks these rows are graded against (their own references when every row has one, else
    the content's), and the rows with the question id of each."""
    if rows and all(r.reference for r in rows):
        bank, ids = adhoc_bank((*r.reference, r.question_id) for r in rows)
        return Knowledge.from_banks([bank], settings), [r.for_question(ids[r.reference]) for r in rows]
    missing = next((r for r in rows if not r.question_id), None)
    if missing:
        raise InterviewError(f"line {missing.line}: no question_id, and not every row has question + reference_answer")
    return Knowledge.open(settings), rows


def bench_grader(settings: Settings, path, cv: int | None = None) -> dict:
    """Grader agreement on a labelled file: with the shipped model, or question-wise `cv`-fold cross-validation."""
    kb, rows = knowledge_for(settings, [r for p in _paths(path) for r in graded_rows(p)])
    started = time.perf_counter()
    examples = measure_rows(kb, rows)
    if cv:
        metrics, pred = cross_validate(kb, examples, k=cv)
    else:
        pred = predict(kb, examples, model_for(kb))
        metrics = agreement(pred, [e.grade for e in examples])
    metrics["seconds_per_answer"] = (time.perf_counter() - started) / max(len(rows), 1)
    metrics["mode"] = f"{cv}-fold question-wise cross-validation" if cv else f"shipped model for {model_for(kb).encoder}"
    metrics.update(_by_kind(rows, examples, pred))
    return metrics


def _by_kind(rows: list[GradedAnswer], examples, pred: list[float]) -> dict:
    """With a `kind` column: the share of wrong answers graded below 40, and of correct ones flagged."""
    out = {}
    wrong = [p for r, p in zip(rows, pred) if r.kind == "wrong"]
    correct = [e for r, e in zip(rows, examples) if r.kind == "correct"]
    if wrong:
        out["wrong_below_40"] = sum(p < 2.0 for p in wrong) / len(wrong)
    if correct:
        out["correct_flagged"] = sum(_flagged(e.measured) for e in correct) / len(correct)
    return out


def _flagged(m) -> bool:
    """Whether a measured answer is marked wrong: a contradicted key point or a known misconception."""
    return bool(m and (m.misconceptions or any(v.status == "contradicted" for v in m.verdicts)))


def _paths(path) -> list:
    """One data file or several (the CLI's --data takes several)."""
    return list(path) if isinstance(path, (list, tuple)) else [path]


def _indices(text: str | None, path, line: int, k: int, column: str) -> set[int]:
    """1-based key-point indices of a cell ('1;3'), each checked against the question's k points."""
    out = set()
    for part in (text or "").replace(",", ";").split(";"):
        if not part.strip():
            continue
        try:
            i = int(part)
        except ValueError:
            raise InterviewError(f"{path}:{line}: '{column}' must be ';'-separated key-point numbers, got {text!r}") from None
        if not 1 <= i <= k:
            raise InterviewError(f"{path}:{line}: '{column}' names key point {i}, but the question has {k}")
        out.add(i)
    return out


def bench_points(settings: Settings, path) -> dict:
    """Key-point ticks against labels: precision, recall and F1 of `covered`, and of `contradicted`
    when the file has that column; with a `kind` column, the share of `correct` answers that
    get any point marked contradicted (falsely flagged)."""
    from app.grading.grade import grade

    kb = Knowledge.open(settings)
    predicted, labelled, pred_x, label_x = [], [], [], []
    has_contradicted = False
    correct, flagged = 0, 0
    paths = _paths(path)
    for path, r in ((p, r) for p in paths for r in read_records(p)):
        qid, answer = (r.text("question_id") or "").strip(), r.text("answer")
        if not qid or answer is None or "covered" not in r.values:
            raise InterviewError(f"{path}:{r.line}: needs 'question_id', 'answer' and 'covered' (';'-separated key-point numbers)")
        k = len(kb.question(qid).points())
        labelled.append(_indices(r.text("covered"), path, r.line, k, "covered"))
        label_x.append(_indices(r.text("contradicted"), path, r.line, k, "contradicted"))
        has_contradicted |= "contradicted" in r.values
        g = grade(kb, qid, answer)
        predicted.append({i for i, p in enumerate(g.key_points, start=1) if p.covered})
        pred_x.append({i for i, p in enumerate(g.key_points, start=1) if p.contradicted})
        if r.text("kind") == "correct":
            correct += 1
            flagged += bool(pred_x[-1] or g.misconceptions)
    if not predicted:
        raise InterviewError(f"{', '.join(map(str, paths))} has no rows")
    out = {"answers": len(predicted), **{f"tick_{k}": v for k, v in ticks(predicted, labelled).items()}}
    if has_contradicted:
        out.update({f"contradicted_{k}": v for k, v in ticks(pred_x, label_x).items()})
    if correct:
        out["correct_flagged"] = flagged / correct
    return out


def bench_retrieval(settings: Settings, path: str, k: int = 5, cv: int | None = None) -> dict:
    """recall@1/@5, MRR@5 and the in-bank decision on a file of (query, expected) rows.

    With `cv`, the in-bank model is refitted by `cv`-fold cross-validation on the file and
    the rejection figures are the out-of-fold ones (use this on the data the shipped model
    was fitted on); the ranking has no fitted part.
    """
    rows = query_rows(path)
    kb = Knowledge.open(settings)
    ranked, expected, accepted = [], [], []
    for line, query, exp in rows:
        if exp and exp not in kb.questions:
            raise InterviewError(f"{path}:{line}: expected id '{exp}' is not in the banks")
        # The ranking and the in-bank decision that `ask` makes (its answer cites the first entry).
        found = retrieve(kb, query, k=k)
        ranked.append([s.question_id for s in found.sources])
        expected.append(exp)
        accepted.append(bool(found.sources) and covered(kb, found.signals))
    metrics = retrieval(ranked, expected, accepted)
    metrics["mode"] = "shipped in-bank model" if relevance_model(kb) else f"dense threshold {IN_BANK_THRESHOLD}"
    if cv:
        folds, _ = fit_relevance(kb, [(q, e) for _, q, e in rows], k=cv)
        metrics.update(
            rejection=folds["rejection"], false_rejection=folds["false_rejection"], mode=f"in-bank decision by {cv}-fold cross-validation"
        )
    return metrics


def query_rows(path) -> list[tuple[int, str, str | None]]:
    """(line, query, expected question id or None when the bank should not cover it) of a retrieval file."""
    out = []
    for r in read_records(path):
        query = (r.text("query") or "").strip()
        if not query:
            raise InterviewError(f"{path}:{r.line}: empty 'query'")
        out.append((r.line, query, (r.text("expected") or "").strip() or None))
    return out
