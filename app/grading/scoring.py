"""The fitted model that turns signals into a 0-5 grade, stored as a small JSON file per encoder.

The model is a small ensemble of shallow regression trees (gradient boosting), each signal
constrained to move the grade in one direction only (more key-point coverage never lowers
a grade, a misconception match never raises it). `eval/train.py` fits it (`interview train
grader`, written to `$INTERVIEW_HOME/models/grader.json`); the package ships `grader.json`
beside this module. Here it is only evaluated, with numpy and no learning library. A grade is
clipped to 0..5 and shown as 0..100.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.errors import InterviewError

from ..core import fitted

MODEL_PATH = Path(__file__).resolve().parent / "grader.json"
FALLBACK = "e5-small-q4"
log = logging.getLogger("interview.grading")


@dataclass(frozen=True)
class Tree:
    """One regression tree as parallel arrays; `left[i] == -1` marks a leaf holding `value[i]`.

    An input goes left when its feature is <= the node's threshold.
    """

    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray

    def __call__(self, x: np.ndarray) -> float:
        i = 0
        while self.left[i] >= 0:
            i = self.left[i] if x[self.feature[i]] <= self.threshold[i] else self.right[i]
        return float(self.value[i])

    def to_dict(self) -> dict:
        return {
            "f": self.feature.tolist(),
            "t": [round(float(v), 7) for v in self.threshold],
            "l": self.left.tolist(),
            "r": self.right.tolist(),
            "v": [round(float(v), 7) for v in self.value],
        }

    @classmethod
    def from_dict(cls, d: dict) -> "Tree":
        return cls(np.array(d["f"], int), np.array(d["t"], float), np.array(d["l"], int), np.array(d["r"], int), np.array(d["v"], float))


@dataclass(frozen=True)
class ScoreModel:
    features: tuple[str, ...]
    baseline: float
    trees: tuple[Tree, ...]
    encoder: str
    meta: dict

    def predict(self, values: dict[str, float]) -> float:
        """Return the grade on 0..5 for one answer's signals."""
        x = np.array([values[f] for f in self.features], dtype=np.float64)
        return float(np.clip(self.baseline + sum(t(x) for t in self.trees), 0.0, 5.0))

    def to_dict(self) -> dict:
        return {
            "features": list(self.features),
            "baseline": round(self.baseline, 7),
            **self.meta,
            "trees": [t.to_dict() for t in self.trees],
        }

    @classmethod
    def from_dict(cls, encoder: str, d: dict) -> "ScoreModel":
        meta = {k: v for k, v in d.items() if k not in ("features", "baseline", "trees")}
        return cls(tuple(d["features"]), float(d["baseline"]), tuple(Tree.from_dict(t) for t in d["trees"]), encoder, meta)


def load_model(encoder: str, models_dir: Path | None = None, path: Path = MODEL_PATH) -> ScoreModel:
    """Return the model fitted for `encoder` (the data root's `models_dir` first, then the package's),
    or the default encoder's with a warning."""
    models = fitted.read(path, models_dir)
    if FALLBACK not in models:
        raise InterviewError(f"the grading model {path} is missing or unreadable: reinstall, or run 'interview train grader'")
    if encoder in models:
        return ScoreModel.from_dict(encoder, models[encoder])
    log.warning(
        "no grading model fitted for encoder '%s': using the one for '%s' (run 'interview train grader --encoder %s')",
        encoder,
        FALLBACK,
        encoder,
    )
    return ScoreModel.from_dict(FALLBACK, models[FALLBACK])


def save_model(model: ScoreModel, path: Path) -> Path:
    """Write (or replace) the model of `model.encoder` in the JSON file at `path`, keeping the others."""
    return fitted.write(path, model.encoder, model.to_dict())


def model_for(kb) -> ScoreModel:
    """The grading model of a Knowledge's encoder, loaded once per Knowledge."""
    return kb.memo("grader", lambda: load_model(kb.encoder.name, kb.settings.models_dir))
