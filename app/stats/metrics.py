"""Agreement between two gradings on 0-5 (the grader's and a human's), as plain functions returning floats."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np


def pearson(x: Sequence[float], y: Sequence[float]) -> float:
    x, y = np.asarray(x, float), np.asarray(y, float)
    if len(x) < 2 or x.std() == 0 or y.std() == 0:
        return float("nan")
    return float(np.corrcoef(x, y)[0, 1])


def _ranks(x: np.ndarray) -> np.ndarray:
    """Average ranks (1-based), ties sharing the mean of their positions."""
    order = np.argsort(x, kind="mergesort")
    ranks = np.empty(len(x), float)
    sx = x[order]
    i = 0
    while i < len(x):
        j = i
        while j + 1 < len(x) and sx[j + 1] == sx[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def spearman(x: Sequence[float], y: Sequence[float]) -> float:
    return pearson(_ranks(np.asarray(x, float)), _ranks(np.asarray(y, float)))


def qwk(a: Sequence[float], b: Sequence[float], low: int = 0, high: int = 5) -> float:
    """Quadratic weighted kappa of two gradings, each rounded to integers in low..high."""
    a = np.clip(np.rint(np.asarray(a, float)), low, high).astype(int) - low
    b = np.clip(np.rint(np.asarray(b, float)), low, high).astype(int) - low
    n = high - low + 1
    observed = np.zeros((n, n))
    for i, j in zip(a, b):
        observed[i, j] += 1
    expected = np.outer(observed.sum(1), observed.sum(0)) / max(len(a), 1)
    w = np.array([[(i - j) ** 2 for j in range(n)] for i in range(n)]) / (n - 1) ** 2
    denom = (w * expected).sum()
    return float(1 - (w * observed).sum() / denom) if denom else float("nan")


def rmse(pred: Sequence[float], true: Sequence[float]) -> float:
    p, t = np.asarray(pred, float), np.asarray(true, float)
    return float(math.sqrt(((p - t) ** 2).mean())) if len(p) else float("nan")


def pass_accuracy(pred: Sequence[float], true: Sequence[float], bar: float = 3.0) -> float:
    """Share of answers on the same side of the pass bar (grade >= 3) in both gradings."""
    p, t = np.asarray(pred, float) >= bar, np.asarray(true, float) >= bar
    return float((p == t).mean()) if len(p) else float("nan")


def sigmoid(z):
    """The logistic function, elementwise for arrays."""
    return 1 / (1 + np.exp(-z))


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax of a 2-D array (shifted by each row's maximum, so large logits do not overflow)."""
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def agreement(pred: Sequence[float], true: Sequence[float]) -> dict[str, float]:
    """All grader metrics on a 0-5 scale, as one flat dict."""
    return {
        "n": len(pred),
        "pearson": pearson(pred, true),
        "spearman": spearman(pred, true),
        "qwk": qwk(pred, true),
        "rmse": rmse(pred, true),
        "pass_accuracy": pass_accuracy(pred, true),
    }
