"""Fit the grading model on graded answers, and cross-validate it split by question.

>>> measured = measure_rows(kb, graded_rows("eval/data/ko-answers.jsonl"))   # eval.datasets
>>> model = fit(measured, encoder="e5-small-q4")
>>> cross_validate(kb, measured)["spearman"]

The model is gradient-boosted shallow trees with each signal's direction fixed (monotone
constraints), fitted without randomness (no subsampling, no early stopping), so the same
data always gives the same parameters. Answers that the rules score 0 (empty,
"모르겠습니다", a copy of the question) are graded by those rules, not by the model, and
are left out of the fit but kept in the evaluation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.ask import relevance
from app.ask.answer import retrieve
from app.grading.grade import decide, says_nothing
from app.grading.scoring import ScoreModel, Tree
from app.grading.signals import FEATURES, Measured, measure
from app.stats.metrics import agreement, sigmoid
from index.bank import Question
from index.errors import InterviewError

# Boosting settings: shallow trees, few of them (chosen by question-wise CV on the Korean set:
# depth 2-3 and 60-200 trees all gave Spearman 0.849-0.851).
BOOSTING = {"max_depth": 2, "max_iter": 100, "learning_rate": 0.05, "min_samples_leaf": 10}
# The direction each signal may move a grade: up (+1), down (-1), either (0). Raw q_sim is
# not a default feature: a high similarity to the question means both "on topic" and
# "copied it"; q_gap (question similarity minus reference similarity) separates the two.
SIGNS = {
    "j_cov": 1,
    "j_ent": 1,
    "j_con": -1,
    "j_ncon": -1,
    "ref": 1,
    "ref_margin": 1,
    "ref_z": 1,
    "cov_mean": 1,
    "cov_rel": 1,
    "cov_frac": 1,
    "cov_point": 1,
    "lex": 1,
    "nchar": 1,
    "nsent": 1,
    "on_share": 1,
    "mis": -1,
    "q_gap": -1,
    "q_sim": 0,
}


@dataclass(frozen=True)
class Example:
    grade: float  # the human grade, 0-5
    question: Question
    measured: Measured | None  # None when the rules give 0 without measuring


def measure_rows(kb, rows) -> list[Example]:
    """Measure every labelled answer (eval.datasets.GradedAnswer) once, the expensive part, for fitting and evaluation."""
    out = []
    for r in rows:
        q = kb.question(r.question_id)
        out.append(Example(r.grade, q, None if says_nothing(q, r.answer) else measure(kb, q, r.answer)))
    return out


def fit(examples: list[Example], encoder: str, features: tuple[str, ...] = FEATURES, meta: dict | None = None, **params) -> ScoreModel:
    """Fit monotone gradient-boosted trees from signals to the human grade on the measured examples."""
    from sklearn.ensemble import HistGradientBoostingRegressor

    used = [e for e in examples if e.measured is not None]
    if len(used) < 10:
        raise InterviewError(f"too few graded answers to fit the grader: {len(used)} usable rows, need at least 10")
    x = np.array([[e.measured.values[f] for f in features] for e in used])
    y = np.array([e.grade for e in used])
    settings = {**BOOSTING, **params}
    model = HistGradientBoostingRegressor(
        monotonic_cst=[SIGNS.get(f, 0) for f in features], early_stopping=False, random_state=0, **settings
    ).fit(x, y)
    trees = tuple(_export(p.nodes) for (p,) in model._predictors)
    baseline = float(np.ravel(model._baseline_prediction)[0])
    return ScoreModel(tuple(features), baseline, trees, encoder, {"n": len(used), **settings, **(meta or {})})


def _export(nodes) -> Tree:
    """Copy one scikit-learn tree into our evaluator's arrays (tests check both agree)."""
    leaf = nodes["is_leaf"].astype(bool)
    return Tree(
        feature=nodes["feature_idx"].astype(int),
        threshold=nodes["num_threshold"].astype(float),
        left=np.where(leaf, -1, nodes["left"].astype(np.int64)),
        right=np.where(leaf, -1, nodes["right"].astype(np.int64)),
        value=nodes["value"].astype(float),
    )


def folds_by_question(examples: list[Example], k: int = 5) -> list[int]:
    """Assign each example a fold so that all answers to one question share a fold (deterministic)."""
    questions = sorted({e.question.id for e in examples})
    fold_of = {q: i % k for i, q in enumerate(questions)}
    return [fold_of[e.question.id] for e in examples]


def predict(kb, examples: list[Example], model: ScoreModel) -> list[float]:
    """Grades on 0..5 from the full grading decision (rules, model, caps)."""
    out = []
    for e in examples:
        out.append(0.0 if e.measured is None else decide(kb, e.question, e.measured, model).score / 20)
    return out


def cross_validate(kb, examples: list[Example], k: int = 5, encoder: str = "cv") -> tuple[dict, list[float]]:
    """Question-wise k-fold cross-validation: metrics and the out-of-fold predictions."""
    folds = folds_by_question(examples, k)
    pred = [0.0] * len(examples)
    for f in range(k):
        train = [e for e, g in zip(examples, folds) if g != f]
        test_idx = [i for i, g in enumerate(folds) if g == f]
        model = fit(train, encoder)
        for i, p in zip(test_idx, predict(kb, [examples[i] for i in test_idx], model)):
            pred[i] = p
    return agreement(pred, [e.grade for e in examples]), pred


def fit_relevance(
    kb, rows: list[tuple[str, str | None]], k: int = 5, max_false_rejection: float = 0.05, l2: float = 1.0
) -> tuple[dict, relevance.RelevanceModel]:
    """Fit the in-bank model on (query, expected id or None) rows; choose its threshold by k-fold cross-validation.

    The threshold is the one that rejects the most out-of-bank queries while rejecting at
    most `max_false_rejection` of the in-bank ones, on out-of-fold probabilities.
    """
    x = np.array([[retrieve(kb, query).signals[f] for f in relevance.FEATURES] for query, _ in rows])
    y = np.array([1.0 if expected else 0.0 for _, expected in rows])
    # Folds that keep the in/out mix, assigned by position within each class (deterministic).
    fold = np.zeros(len(y), dtype=int)
    for cls in (0.0, 1.0):
        idx = np.flatnonzero(y == cls)
        fold[idx] = np.arange(len(idx)) % k
    prob = np.zeros(len(y))
    for f in range(k):
        mean, scale, coef, b = relevance.fit(x[fold != f], y[fold != f], l2=l2)
        prob[fold == f] = sigmoid(((x[fold == f] - mean) / scale) @ coef + b)
    best = None
    for t in np.unique(prob):
        rej, fr = float((prob[y == 0] < t).mean()), float((prob[y == 1] < t).mean())
        if fr <= max_false_rejection and (best is None or rej > best[1]):
            best = (float(t), rej, fr)
    threshold, rejection, false_rejection = best or (0.5, float((prob[y == 0] < 0.5).mean()), float((prob[y == 1] < 0.5).mean()))
    mean, scale, coef, b = relevance.fit(x, y, l2=l2)
    cv = {"n": len(y), "rejection": round(rejection, 4), "false_rejection": round(false_rejection, 4)}
    model = relevance.RelevanceModel(mean, scale, coef, b, threshold, {"cv": cv, "l2": l2})
    return cv, model
