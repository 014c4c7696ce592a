"""The fitted model that turns signals into a 0-5 grade, stored as a small JSON file per encoder.

`app/grader.json` maps an encoder name to a linear model over standardised signals (see
`eval/train.py`, which writes it, and `interview train grader`). A grade is clipped to
0..5 and shown as 0..100.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.errors import InterviewError

MODEL_PATH = Path(__file__).resolve().parent / "grader.json"
FALLBACK = "e5-small-q4"
log = logging.getLogger("interview.grading")


@dataclass(frozen=True)
class ScoreModel:
    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    encoder: str
    meta: dict

    def predict(self, values: dict[str, float]) -> float:
        """Return the grade on 0..5 for one answer's signals."""
        x = np.array([values[f] for f in self.features], dtype=np.float64)
        return float(np.clip(((x - self.mean) / self.scale) @ self.coef + self.intercept, 0.0, 5.0))

    def to_dict(self) -> dict:
        return {
            "features": list(self.features),
            "mean": [round(float(v), 6) for v in self.mean],
            "scale": [round(float(v), 6) for v in self.scale],
            "coef": [round(float(v), 6) for v in self.coef],
            "intercept": round(float(self.intercept), 6),
            **self.meta,
        }

    @classmethod
    def from_dict(cls, encoder: str, d: dict) -> "ScoreModel":
        meta = {k: v for k, v in d.items() if k not in ("features", "mean", "scale", "coef", "intercept")}
        return cls(tuple(d["features"]), np.array(d["mean"]), np.array(d["scale"]), np.array(d["coef"]), float(d["intercept"]), encoder, meta)


def load_model(encoder: str, path: Path = MODEL_PATH) -> ScoreModel:
    """Return the model fitted for `encoder`, or the default encoder's with a warning."""
    try:
        models = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise InterviewError(f"cannot read the grading model {path}: {e}; reinstall, or run 'interview train grader'") from None
    if encoder in models:
        return ScoreModel.from_dict(encoder, models[encoder])
    log.warning("no grading model fitted for encoder '%s': using the one for '%s' (run 'interview train grader --encoder %s')", encoder, FALLBACK, encoder)
    return ScoreModel.from_dict(FALLBACK, models[FALLBACK])


def save_model(model: ScoreModel, path: Path = MODEL_PATH) -> None:
    """Write (or replace) the model of `model.encoder` in the JSON file, keeping the others."""
    try:
        models = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        models = {}
    models[model.encoder] = model.to_dict()
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(models, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)
