"""Retrieval metrics: recall@k, MRR and the rejection rates of the in-bank decision."""

from __future__ import annotations

from collections.abc import Sequence


def retrieval(ranked: Sequence[Sequence[str]], expected: Sequence[str | None], in_bank: Sequence[bool]) -> dict[str, float]:
    """recall@1/@5, MRR@5 over in-bank queries; rejection rates from the in_bank decisions."""
    hits1 = hits5 = rr = 0.0
    n_in = n_out = rejected_out = rejected_in = 0
    for ranking, exp, accepted in zip(ranked, expected, in_bank):
        if exp:
            n_in += 1
            top = list(ranking[:5])
            hits1 += bool(top[:1] == [exp])
            hits5 += exp in top
            rr += 1 / (top.index(exp) + 1) if exp in top else 0
            rejected_in += not accepted
        else:
            n_out += 1
            rejected_out += not accepted
    return {
        "n": len(expected),
        "recall@1": hits1 / n_in if n_in else float("nan"),
        "recall@5": hits5 / n_in if n_in else float("nan"),
        "mrr@5": rr / n_in if n_in else float("nan"),
        "rejection": rejected_out / n_out if n_out else float("nan"),
        "false_rejection": rejected_in / n_in if n_in else float("nan"),
    }


def ticks(predicted: Sequence[set[int]], expected: Sequence[set[int]]) -> dict[str, float]:
    """Micro precision, recall and F1 of per-key-point ticks: one set of 1-based point indices per
    answer, predicted and labelled. An empty prediction and an empty label agree (no tick either way)."""
    tp = sum(len(p & e) for p, e in zip(predicted, expected))
    n_pred = sum(len(p) for p in predicted)
    n_true = sum(len(e) for e in expected)
    precision = tp / n_pred if n_pred else float("nan")
    recall = tp / n_true if n_true else float("nan")
    f1 = 2 * precision * recall / (precision + recall) if n_pred and n_true and precision + recall else float("nan")
    return {"precision": precision, "recall": recall, "f1": f1, "predicted": n_pred, "labelled": n_true}
