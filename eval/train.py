"""Fit the grading model on graded answers, and cross-validate it split by question.

>>> measured = measure_rows(kb, graded_rows("eval/data/ko-answers.jsonl"))
>>> model = fit(measured, encoder="e5-small-q4")
>>> cross_validate(kb, measured)["spearman"]

The model is ridge regression on standardised signals (closed form, no randomness), so
the same data always gives the same parameters. Answers that the rules score 0 (empty,
"모르겠습니다", a copy of the question) are graded by those rules, not by the model, and
are left out of the fit but kept in the evaluation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.grading import decide, says_nothing
from app.scoring import ScoreModel
from app.signals import FEATURES, Measured, measure
from index.bank import Question

from .metrics import agreement

# The direction each signal may move a grade: up (+1), down (-1), either (0). Raw q_sim is
# not a default feature: a high similarity to the question means both "on topic" and
# "copied it"; q_gap (question similarity minus reference similarity) separates the two.
SIGNS = {"ref": 1, "ref_margin": 1, "ref_z": 1, "cov_mean": 1, "cov_rel": 1, "cov_frac": 1, "cov_point": 1,
         "lex": 1, "nchar": 1, "nsent": 1, "mis": -1, "q_gap": -1, "q_sim": 0}


@dataclass
class Example:
    row: dict
    question: Question
    measured: Measured | None  # None when the rules give 0 without measuring

    @property
    def grade(self) -> float:
        return float(self.row["grade"])


def measure_rows(kb, rows: list[dict]) -> list[Example]:
    """Measure every row once (the expensive part: embedding), for fitting and evaluation."""
    out = []
    for r in rows:
        q = kb.question(r["question_id"])
        out.append(Example(r, q, None if says_nothing(q, r["answer"]) else measure(kb, q, r["answer"])))
    return out


def fit(examples: list[Example], encoder: str, alpha: float = 3.0, features: tuple[str, ...] = FEATURES, meta: dict | None = None) -> ScoreModel:
    """Fit ridge regression from signals to the human grade on the measured examples."""
    used = [e for e in examples if e.measured is not None]
    if len(used) < len(features) + 2:
        from index.errors import InterviewError

        raise InterviewError(f"too few graded answers to fit the grader: {len(used)} usable rows, need at least {len(features) + 2}")
    x = np.array([[e.measured.values[f] for f in features] for e in used])
    y = np.array([e.grade for e in used])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    intercept = y.mean()
    coef = _signed_ridge(z, y - intercept, alpha, [SIGNS.get(f, 0) for f in features])
    info = {"n": len(used), "alpha": alpha, **(meta or {})}
    return ScoreModel(tuple(features), mean, scale, coef, float(intercept), encoder, info)


def _signed_ridge(z: np.ndarray, y: np.ndarray, alpha: float, signs: list[int]) -> np.ndarray:
    """Ridge regression whose coefficients keep the given signs (+1, -1; 0 = free).

    More coverage must never lower a grade: sign constraints keep the fitted model monotone
    in each signal, which generalises better than letting correlated signals cancel out.
    Solved as non-negative least squares on the sign-adjusted, ridge-augmented system.
    """
    from scipy.optimize import nnls

    free = [j for j, s in enumerate(signs) if s == 0]
    cols = []  # each free coefficient is split into a positive and a negative part
    for j, s in enumerate(signs):
        cols.append((j, s if s else 1))
    cols += [(j, -1) for j in free]
    a = np.column_stack([z[:, j] * s for j, s in cols])
    reg = np.sqrt(alpha) * np.eye(len(cols))
    w, _ = nnls(np.vstack([a, reg]), np.concatenate([y, np.zeros(len(cols))]))
    coef = np.zeros(z.shape[1])
    for (j, s), v in zip(cols, w):
        coef[j] += s * v
    return coef


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


def cross_validate(kb, examples: list[Example], k: int = 5, alpha: float = 3.0, encoder: str = "cv") -> tuple[dict, list[float]]:
    """Question-wise k-fold cross-validation: metrics and the out-of-fold predictions."""
    folds = folds_by_question(examples, k)
    pred = [0.0] * len(examples)
    for f in range(k):
        train = [e for e, g in zip(examples, folds) if g != f]
        test_idx = [i for i, g in enumerate(folds) if g == f]
        model = fit(train, encoder, alpha)
        for i, p in zip(test_idx, predict(kb, [examples[i] for i in test_idx], model)):
            pred[i] = p
    return agreement(pred, [e.grade for e in examples]), pred
