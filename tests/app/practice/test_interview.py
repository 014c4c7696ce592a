import pytest

from app.practice import interview as flow
from app.practice.history import History
from index.errors import InterviewError

GOOD_1 = (
    "Overfitting: the model fits noise in the training data and performs worse on unseen data; "
    "a growing gap between training and validation loss reveals it."
)


@pytest.fixture
def history(tmp_path):
    return History(tmp_path / "h.sqlite")


def test_in_order_plan_takes_main_questions_only(fake_kb, history):
    assert flow.plan(fake_kb, history, "p", "mini", "in-order", 5) == ["mini/1", "mini/2"]  # mini/3 has no answer


def test_good_answer_gets_the_sub_question_then_the_next_main(fake_kb, history):
    iv = flow.start(fake_kb, history, "p", "mini", "in-order", 2)
    assert iv.current == "mini/1"
    g = flow.answer(fake_kb, history, iv, GOOD_1)
    assert g.score >= flow.GOOD_ENOUGH, g.score
    assert iv.current == "mini/1-1" and iv.main == "mini/1"
    flow.answer(fake_kb, history, iv, "Use more data and dropout, and stop early on the validation loss.")
    assert iv.current == "mini/2" and iv.main == "mini/2"
    flow.answer(fake_kb, history, iv, "잘 모르겠습니다")
    assert iv.finished and iv.current is None
    assert [a["question_id"] for a in history.attempts("p")] == ["mini/1", "mini/1-1", "mini/2"]


def test_weak_answer_moves_on_without_the_sub_question(fake_kb, history):
    iv = flow.start(fake_kb, history, "p", "mini", "in-order", 2)
    flow.answer(fake_kb, history, iv, "모르겠습니다")
    assert iv.current == "mini/2"


def test_weak_answer_is_followed_by_a_question_on_the_missed_point(fake_kb, history, monkeypatch):
    monkeypatch.setattr(flow, "TARGET_SIMILARITY", 0.3)  # the fake encoder's similarities are lower
    iv = flow.start(fake_kb, history, "p", "mini", "in-order", 2)
    g = flow.answer(fake_kb, history, iv, "It is about training.")
    assert g.score < flow.GOOD_ENOUGH and g.missed
    assert iv.current is not None and iv.current != "mini/1" and iv.follow_ups == 1


def test_hint_reveals_points_in_order_and_is_recorded(fake_kb, history):
    iv = flow.start(fake_kb, history, "p", "mini", "in-order", 1)
    assert flow.hint(fake_kb, iv) == "The model fits noise in the training data."
    flow.answer(fake_kb, history, iv, GOOD_1)
    assert history.attempts("p")[0]["hint_used"] is True
    assert iv.hints == 0


def test_skip_and_reveal_are_recorded_as_zero(fake_kb, history):
    iv = flow.start(fake_kb, history, "p", "mini", "in-order", 2)
    flow.skip(fake_kb, history, iv)
    flow.skip(fake_kb, history, iv, verdict="revealed")
    assert [(a["score"], a["verdict"]) for a in history.attempts("p")] == [(0, "skipped"), (0, "revealed")]
    assert iv.finished


def test_weakest_and_review_modes(fake_kb, history):
    history.record("p", "mini/2", "x", 10, "insufficient", [], now=0.0)
    history.record("p", "mini/1", "x", 90, "excellent", [], now=0.0)
    assert flow.plan(fake_kb, history, "p", "mini", "weakest", 2) == ["mini/2", "mini/1"]
    assert flow.plan(fake_kb, history, "p", "mini", "review", 5, now=2 * 86400.0) == ["mini/1", "mini/2"]
    with pytest.raises(InterviewError, match="nothing is due"):
        flow.plan(fake_kb, history, "new", "mini", "review", 5)


def test_state_round_trips_through_json(fake_kb, history):
    import json

    iv = flow.start(fake_kb, history, "p", "mini", "in-order", 2)
    flow.answer(fake_kb, history, iv, GOOD_1)
    again = flow.Interview.from_dict(json.loads(json.dumps(iv.to_dict())))
    assert again == iv


def test_summary_per_topic(fake_kb, history):
    iv = flow.start(fake_kb, history, "p", "mini", "in-order", 2)
    flow.answer(fake_kb, history, iv, GOOD_1)
    flow.end(iv)
    s = flow.summary(fake_kb, iv)
    assert s["rows"][0]["question_id"] == "mini/1" and s["topics"] == {"generalisation": s["mean"]}


@pytest.mark.parametrize("mode, count, message", [("sideways", 2, "unknown mode"), ("in-order", 0, "at least 1")])
def test_bad_options(fake_kb, history, mode, count, message):
    with pytest.raises(InterviewError, match=message):
        flow.plan(fake_kb, history, "p", "mini", mode, count)
