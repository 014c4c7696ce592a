import json

import numpy as np
import pytest

from app.grading.scoring import ScoreModel
from app.grading.signals import FEATURES, Measured
from eval import train
from index.bank import Question

Q = Question(id="t/1", bank="t", anchor="1", parent=None, question="q?", answer="a.")


def synthetic(n=120, seed=0):
    """Examples whose grade rises with coverage and falls with the misconception signal."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        values = {f: float(rng.normal()) for f in FEATURES}
        grade = float(np.clip(2.5 + 1.2 * values["cov_rel"] + 0.8 * values["lex"] - 0.6 * values["mis"] + 0.3 * rng.normal(), 0, 5))
        q = Question(id=f"t/{i % 12}", bank="t", anchor=str(i % 12), parent=None, question="q?", answer="a.")
        out.append(train.Example(grade, q, Measured(values, [], [], [], None, ["s"], False)))
    return out


def test_fit_is_reproducible():
    ex = synthetic()
    a, b = train.fit(ex, "x"), train.fit(ex, "x")
    assert json.dumps(a.to_dict()) == json.dumps(b.to_dict())


def test_exported_trees_match_scikit_learn_and_survive_json():
    from sklearn.ensemble import HistGradientBoostingRegressor

    ex = synthetic()
    model = train.fit(ex, "x")
    x = np.array([[e.measured.values[f] for f in FEATURES] for e in ex])
    y = np.array([e.grade for e in ex])
    ref = HistGradientBoostingRegressor(
        monotonic_cst=[train.SIGNS[f] for f in FEATURES], early_stopping=False, random_state=0, **train.BOOSTING
    ).fit(x, y)
    again = ScoreModel.from_dict("x", json.loads(json.dumps(model.to_dict())))
    for e, expected in zip(ex, np.clip(ref.predict(x), 0, 5)):
        assert again.predict(e.measured.values) == pytest.approx(expected, abs=1e-5)


def test_grade_never_falls_when_coverage_rises_or_rises_with_a_misconception():
    model = train.fit(synthetic(), "x")
    base = {f: 0.0 for f in FEATURES}
    grades = [model.predict(dict(base, cov_rel=v)) for v in np.linspace(-3, 3, 25)]
    assert all(b >= a for a, b in zip(grades, grades[1:])) and grades[-1] > grades[0]
    mis = [model.predict(dict(base, mis=v)) for v in np.linspace(-3, 3, 25)]
    assert all(b <= a for a, b in zip(mis, mis[1:]))


def test_folds_keep_each_question_on_one_side():
    ex = synthetic()
    folds = train.folds_by_question(ex, k=5)
    side = {}
    for e, f in zip(ex, folds):
        assert side.setdefault(e.question.id, f) == f
    assert set(folds) == set(range(5))
