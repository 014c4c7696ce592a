"""Is a question covered by the bank at all? A small fitted logistic model over retrieval signals.

Out-of-bank questions from the same field ("트랜스포머 어텐션이 뭐야?") reach dense
similarities as high as in-bank paraphrases in another language, so one threshold on one
similarity cannot separate them. The model combines: the best entry's dense score, its lead
over the second entry, the best question-text, key-point and sentence similarities, the best
BM25 score, and the share of Hangul in the query (cross-lingual similarities run lower).
`interview train retrieval` fits it on `eval/data/retrieval.csv` and writes it to
`$INTERVIEW_HOME/models/relevance.json` (the package ships `relevance.json` beside this module);
the decision threshold is chosen by cross-validation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..core import fitted
from ..stats.metrics import sigmoid

MODEL_PATH = Path(__file__).resolve().parent / "relevance.json"
FEATURES = ("dense", "gap", "question", "point", "sentence", "lexical", "hangul")


def hangul_share(text: str) -> float:
    """Share of the letters in `text` that are Hangul syllables."""
    letters = [c for c in text if c.isalpha()]
    return sum("\uac00" <= c <= "\ud7a3" for c in letters) / len(letters) if letters else 0.0


def signals(query: str, dense: dict[str, float], best: dict[tuple[str, str], float], lexical: list[float]) -> dict[str, float]:
    """The in-bank signals of one query, from its per-entry dense scores and per-unit best matches."""
    ranked = sorted(dense.values(), reverse=True) + [0.0, 0.0]

    def best_of(kind: str) -> float:
        return max((v for (_, k), v in best.items() if k == kind), default=0.0)

    return {
        "dense": ranked[0],
        "gap": ranked[0] - ranked[1],
        "question": best_of("question"),
        "point": best_of("point"),
        "sentence": best_of("sentence"),
        "lexical": math.log1p(max(lexical, default=0.0)),
        "hangul": hangul_share(query),
    }


@dataclass(frozen=True)
class RelevanceModel:
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float
    meta: dict

    def probability(self, values: dict[str, float]) -> float:
        z = (np.array([values[f] for f in FEATURES]) - self.mean) / self.scale
        return float(sigmoid(z @ self.coef + self.intercept))

    def in_bank(self, values: dict[str, float]) -> bool:
        return self.probability(values) >= self.threshold

    def to_dict(self) -> dict:
        r = lambda a: [round(float(v), 6) for v in a]  # noqa: E731
        return {
            "features": list(FEATURES),
            "mean": r(self.mean),
            "scale": r(self.scale),
            "coef": r(self.coef),
            "intercept": round(self.intercept, 6),
            "threshold": round(self.threshold, 4),
            **self.meta,
        }


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1.0, iterations: int = 50) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Class-balanced L2 logistic regression by Newton's method (deterministic); returns mean, scale, coef, intercept."""
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = np.column_stack([(x - mean) / scale, np.ones(len(x))])
    pos = y.mean()
    weight = np.where(y == 1, 0.5 / max(pos, 1e-9), 0.5 / max(1 - pos, 1e-9))
    w = np.zeros(z.shape[1])
    penalty = l2 * np.eye(z.shape[1])
    penalty[-1, -1] = 0.0  # the intercept is not shrunk
    for _ in range(iterations):
        p = sigmoid(z @ w)
        grad = z.T @ (weight * (p - y)) + penalty @ w
        hess = (z * (weight * p * (1 - p))[:, None]).T @ z + penalty
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-10:
            break
    return mean, scale, w[:-1], float(w[-1])


def load(encoder: str, models_dir: Path | None = None, path: Path = MODEL_PATH) -> RelevanceModel | None:
    """The model fitted for `encoder` (the data root's first, then the package's), or None (then a
    plain threshold on the dense score decides)."""
    d = fitted.read(path, models_dir).get(encoder)
    if not d or tuple(d.get("features", ())) != FEATURES:
        return None
    meta = {k: v for k, v in d.items() if k not in ("features", "mean", "scale", "coef", "intercept", "threshold")}
    return RelevanceModel(
        np.array(d["mean"]), np.array(d["scale"]), np.array(d["coef"]), float(d["intercept"]), float(d["threshold"]), meta
    )


def save(encoder: str, model: RelevanceModel, path: Path) -> Path:
    """Write (or replace) the model of `encoder` in the JSON file at `path`, keeping the others."""
    return fitted.write(path, encoder, model.to_dict())


def model_for(kb) -> RelevanceModel | None:
    """The in-bank model of a Knowledge's encoder, loaded once per Knowledge."""
    return kb.memo("relevance", lambda: load(kb.encoder.name, kb.settings.models_dir))
