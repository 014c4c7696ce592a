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
    # FSRS: the failed question is due again a minute later, the excellent one days later.
    assert flow.plan(fake_kb, history, "p", "mini", "review", 5, now=120.0) == ["mini/2"]
    assert flow.plan(fake_kb, history, "p", "mini", "review", 5, now=30 * 86400.0) == ["mini/1", "mini/2"]
    with pytest.raises(InterviewError, match="nothing is due"):
        flow.plan(fake_kb, history, "new", "mini", "review", 5)
    history.record("q", "mini/1", "x", 90, "excellent", [], now=0.0)
    with pytest.raises(InterviewError, match=r"nothing is due for review yet: the next, mini/1, is due \d{4}-\d\d-\d\d \d\d:\d\d"):
        flow.plan(fake_kb, history, "q", "mini", "review", 5, now=60.0)


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


def test_each_answer_records_how_long_it_took(fake_kb, history, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(flow.time, "time", lambda: clock[0])
    iv = flow.start(fake_kb, history, "p", "mini", "in-order", 2, time_limit=60)
    assert (iv.time_limit, iv.asked_at, iv.elapsed()) == (60, 1000.0, 0.0)
    clock[0] = 1042.0
    assert iv.elapsed() == 42.0 and not iv.timed_out()
    flow.answer(fake_kb, history, iv, GOOD_1)
    assert iv.asked_at == 1042.0  # the next question's clock starts when it is put
    clock[0] = 1110.0
    assert iv.timed_out() and not iv.timed_out(grace=10)
    flow.time_out(fake_kb, history, iv)
    first, second = history.attempts("p")
    assert (first["seconds"], second["seconds"], second["verdict"], second["score"]) == (42.0, 68.0, flow.TIMED_OUT, 0)
    assert [t.seconds for t in iv.turns] == [42.0, 68.0]
    assert [r["seconds"] for r in flow.summary(fake_kb, iv)["rows"]] == [42.0, 68.0]


def test_a_spoken_answer_keeps_its_delivery(fake_kb, history):
    iv = flow.start(fake_kb, history, "p", "mini", "in-order", 1)
    flow.answer(fake_kb, history, iv, GOOD_1, seconds=12.0, delivery={"rate": 300.0})
    (a,) = history.attempts("p")
    assert a["spoken"] and a["delivery"] == {"rate": 300.0} and a["seconds"] == 12.0 and iv.turns[0].spoken


def test_an_untimed_interview_never_times_out(fake_kb, history):
    iv = flow.start(fake_kb, history, "p", "mini", "in-order", 1)
    assert iv.time_limit is None and not iv.timed_out(grace=-1e9)


@pytest.mark.parametrize("limit", [5, 601])
def test_time_limits_outside_the_range_are_refused(fake_kb, history, limit):
    with pytest.raises(InterviewError, match="time limit must be from 10 to 600 seconds"):
        flow.start(fake_kb, history, "p", "mini", "in-order", 1, time_limit=limit)


def test_a_session_saved_before_timing_still_loads(fake_kb, history):
    iv = flow.start(fake_kb, history, "p", "mini", "in-order", 2)
    flow.answer(fake_kb, history, iv, GOOD_1)
    d = iv.to_dict()
    for key in ("time_limit", "asked_at"):
        d.pop(key)
    for turn in d["turns"]:
        turn.pop("seconds"), turn.pop("spoken")
    again = flow.Interview.from_dict(d)
    assert again.current == iv.current and again.elapsed() is None and again.turns[0].seconds is None


def test_try_again_puts_the_last_question_back_then_goes_on(fake_kb, history):
    iv = flow.start(fake_kb, history, "p", "mini", "in-order", 2)
    flow.answer(fake_kb, history, iv, "모르겠습니다")  # mini/1, no follow-up: on to mini/2
    assert iv.current == "mini/2"
    assert flow.retry(fake_kb, iv) == "mini/1" and iv.current == "mini/1" and iv.plan == ["mini/2"]
    flow.answer(fake_kb, history, iv, GOOD_1)  # the second try, good this time: its follow-up comes next
    assert iv.current == "mini/1-1"
    assert [a["question_id"] for a in history.attempts("p")] == ["mini/1", "mini/1"]  # both tries are stored
    with pytest.raises(InterviewError, match="nothing answered yet"):
        flow.retry(fake_kb, flow.start(fake_kb, history, "p", "mini", "in-order", 1))


def test_try_again_after_the_last_answer_reopens_the_interview(fake_kb, history):
    iv = flow.start(fake_kb, history, "p", "mini", "in-order", 1)
    flow.answer(fake_kb, history, iv, "모르겠습니다")
    assert iv.finished and iv.current is None
    flow.retry(fake_kb, iv)
    assert not iv.finished and iv.current == "mini/1"


def test_cram_takes_every_practised_question_due_or_not(fake_kb, history):
    with pytest.raises(InterviewError, match="nothing practised yet"):
        flow.plan(fake_kb, history, "p", "mini", "cram", 5)
    history.record("p", "mini/2", "x", 95, "excellent", [], now=0.0)  # due days later
    history.record("p", "mini/1-1", "x", 10, "insufficient", [], now=0.0)  # a follow-up, due in a minute
    with pytest.raises(InterviewError, match="nothing is due"):  # review waits for the due times ...
        flow.plan(fake_kb, history, "p", "mini", "review", 5, now=10.0)
    assert flow.plan(fake_kb, history, "p", "mini", "cram", 5, now=10.0) == ["mini/1", "mini/2"]  # ... cram does not: soonest due first


def test_a_targeted_follow_up_counts_under_its_own_topic(fake_kb, history):
    iv = flow.start(fake_kb, history, "p", "mini", "in-order", 1)
    iv.current = "mini/2"  # as a follow-up targeting a missed point would put another family's question
    flow.answer(fake_kb, history, iv, "GPUs run many arithmetic operations in parallel.")
    assert iv.turns[-1].topic == flow.topic_of(fake_kb.questions["mini/2"]) != flow.topic_of(fake_kb.questions["mini/1"])


def test_the_last_graded_answer_can_be_overruled(fake_kb, history):
    iv = flow.start(fake_kb, history, "p", "mini", "in-order", 2)
    with pytest.raises(InterviewError) as e:
        flow.overrule(history, iv, score=50)
    assert e.value.code == "nothing_to_overrule"
    g = flow.answer(fake_kb, history, iv, "Use more data.")
    turn = iv.turns[-1]
    assert turn.attempt is not None and flow.last_graded(iv) is turn
    stated = fake_kb.question("mini/1").points()[0]
    a = flow.overrule(history, iv, score=g.score + 30, covered=[stated])
    assert a["graded_score"] == g.score and a["score"] == g.score + 30 == turn.score and turn.overruled
    assert a["overruled_points"].get(stated) == "covered" or g.key_points[0].covered
    assert flow.summary(fake_kb, iv)["rows"][-1]["overruled"]
    # Untick it again: back to missed, and the user's score stays.
    a = flow.overrule(history, iv, covered=[])
    assert a["overruled_points"][stated] == "missed" and a["score"] == g.score + 30
    # A skip leaves nothing to overrule.
    flow.skip(fake_kb, history, iv)
    assert flow.last_graded(iv) is None


def test_the_saved_step_holds_the_new_attempts_id(fake_kb, history):
    iv = flow.start(fake_kb, history, "p", "mini", "in-order", 2)
    saved = {}

    def save(iv_now, g):
        saved["turns"] = [t.attempt for t in iv_now.turns]
        return None

    flow.answer(fake_kb, history, iv, "Use more data.", save=save)
    assert saved["turns"] == [history.attempts("p")[0]["id"]]
