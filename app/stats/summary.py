"""Aggregations shown by the web app, the interview summary and the batch report: one definition each."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")
BIN_WIDTH = 10


def histogram(scores: Iterable[int | float]) -> list[tuple[str, int]]:
    """Counts of 0-100 scores in ten bins ('0-9' ... '90-100'), every bin listed, empty ones as 0."""
    counts = [0] * 10
    for s in scores:
        counts[min(int(s) // BIN_WIDTH, 9)] += 1
    labels = [f"{b}-{b + BIN_WIDTH - 1}" for b in range(0, 90, BIN_WIDTH)] + ["90-100"]
    return list(zip(labels, counts))


def mean_by(items: Iterable[T], key: Callable[[T], str], value: Callable[[T], float]) -> dict[str, tuple[float, int]]:
    """Per key, in order of first appearance: (mean of the values, how many), the mean rounded to 0.1."""
    groups: dict[str, list[float]] = {}
    for item in items:
        groups.setdefault(key(item), []).append(value(item))
    return {k: (round(sum(v) / len(v), 1), len(v)) for k, v in groups.items()}


def agreement_text(a: dict) -> str:
    """One line of the agreement figures with human grades ('Pearson 0.812 · Spearman ...')."""
    names = (("pearson", "Pearson"), ("spearman", "Spearman"), ("qwk", "QWK"), ("rmse", "RMSE"), ("pass_accuracy", "pass accuracy"))
    return " · ".join(f"{label} {a[k]:.3f}" for k, label in names if k in a)
