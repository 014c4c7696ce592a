import csv
import io
import sqlite3

import pytest

from app.practice.history import History, SessionStep
from index.errors import InterviewError


def test_record_and_read_back_per_profile(tmp_path):
    h = History(tmp_path / "h.sqlite")
    h.record("minji", "b/1", "답변", 80, "good", ["point a"], topic="t", hint_used=True, now=1000.0)
    h.record("jun", "b/1", "other", 20, "insufficient", [], now=1001.0)
    mine = h.attempts("minji")
    assert len(mine) == 1 and mine[0]["answer"] == "답변" and mine[0]["missed"] == ["point a"] and mine[0]["hint_used"]
    assert [a["answer"] for a in h.attempts("jun")] == ["other"]  # never another profile's rows
    assert h.averages("minji") == {"b/1": (80.0, 1)}


def test_schedule_is_updated_with_the_attempt(tmp_path):
    h = History(tmp_path / "h.sqlite")
    h.record("p", "b/1", "x", 20, "insufficient", [], now=0.0)  # again: back in a minute (a learning step)
    h.record("p", "b/2", "x", 100, "excellent", [], now=0.0)  # easy: days later
    assert [q for q, _ in h.due("p", now=60.0)] == ["b/1"]
    easy = h.card("p", "b/2")
    assert easy.reviews == 1 and easy.state == "review" and easy.due > 86400.0
    assert [q for q, _ in h.due("p", now=easy.due)] == ["b/1", "b/2"]
    assert [q for q, _ in h.schedule("p")] == ["b/1", "b/2"]  # soonest first, due or not
    assert h.due("other", now=1e12) == [] and h.schedule("other") == []


def test_export_csv_has_every_attempt(tmp_path):
    h = History(tmp_path / "h.sqlite")
    h.record("p", "b/1", '쉼표, 따옴표"', 55, "partial", ["a", "b"], now=0.0)
    rows = list(csv.DictReader(io.StringIO(h.export_csv("p"))))
    assert rows[0]["answer"] == '쉼표, 따옴표"' and rows[0]["missed"] == "a | b" and rows[0]["score"] == "55"


def test_export_csv_never_hands_a_spreadsheet_a_formula(tmp_path):
    h = History(tmp_path / "h.sqlite")
    for answer in ('=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "평범한 답"):
        h.record("p", "b/1", answer, 10, "insufficient", [], now=0.0)
    answers = [r["answer"] for r in csv.DictReader(io.StringIO(h.export_csv("p")))]
    assert answers == ['\'=HYPERLINK("http://evil","x")', "'+1+1", "'-2+3", "'@SUM(A1)", "'\tcmd", "평범한 답"]


def test_sessions_are_saved_under_a_token_with_their_profile(tmp_path):
    h = History(tmp_path / "h.sqlite")
    h.save_step(SessionStep("tok", "p", {"x": 1}))
    assert h.load_session("tok") == ("p", {"x": 1})
    assert h.load_session("other") is None
    h.save_step(SessionStep("tok", "p", None))
    assert h.load_session("tok") is None


def test_attempts_survive_a_new_connection_and_use_wal(tmp_path):
    path = tmp_path / "h.sqlite"
    h = History(path)
    h.record("p", "b/1", "x", 50, "partial", [])
    h.close()
    assert len(History(path).attempts("p")) == 1
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_two_answers_to_one_question_at_once_both_count_in_its_schedule(tmp_path, monkeypatch):
    """Two threads record an answer to the same question at the same moment. The schedule row is read
    inside the write transaction, so the second review builds on the first: two repetitions, not one."""
    import threading
    import time

    from app.practice import history as history_module

    h = History(tmp_path / "h.sqlite")
    real_review = history_module.review

    def slow_review(card, rated, now):
        time.sleep(0.2)  # widen the window between reading the card and writing it back
        return real_review(card, rated, now)

    monkeypatch.setattr(history_module, "review", slow_review)
    start = threading.Barrier(2)

    def answer(text):
        start.wait()
        h.record("p", "b/1", text, 100, "excellent", [], now=0.0)

    threads = [threading.Thread(target=answer, args=(t,)) for t in ("first", "second")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(a["answer"] for a in h.attempts("p")) == ["first", "second"]
    card = h.card("p", "b/1")
    assert card.reviews == 2  # the second review was made on the card the first one wrote


def test_the_attempt_and_the_saved_step_are_one_transaction(tmp_path):
    """A step that cannot be stored (here: state that is not JSON) rolls the attempt back with it."""
    import pytest

    h = History(tmp_path / "h.sqlite")
    with pytest.raises(TypeError):
        h.record("p", "b/1", "x", 50, "partial", [], step=SessionStep("tok", "p", {"bad": object()}))
    assert h.attempts("p") == [] and h.card("p", "b/1").new and h.load_session("tok") is None
    h.record("p", "b/1", "x", 50, "partial", [], step=SessionStep("tok", "p", {"ok": 1}))
    assert len(h.attempts("p")) == 1 and h.load_session("tok") == ("p", {"ok": 1})


def test_duration_and_delivery_are_stored_and_exported(tmp_path):
    h = History(tmp_path / "h.sqlite")
    h.record("p", "b/1", "typed", 60, "partial", [], now=0.0, seconds=42.5)
    h.record("p", "b/2", "spoken", 70, "good", [], now=1.0, seconds=95.0, delivery={"rate": 310.0, "fillers": {"음": 2}})
    h.record("p", "b/3", "untimed", 70, "good", [], now=2.0)
    typed, spoken, untimed = h.attempts("p")
    assert (typed["seconds"], typed["spoken"], typed["delivery"]) == (42.5, False, None)
    assert spoken["spoken"] and spoken["delivery"] == {"rate": 310.0, "fillers": {"음": 2}}
    assert untimed["seconds"] is None
    rows = list(csv.DictReader(io.StringIO(h.export_csv("p"))))
    assert [(r["seconds"], r["spoken"]) for r in rows] == [("42.5", "0"), ("95.0", "1"), ("", "0")]


def old_history(path, script: str):
    """A history file written by an earlier version: its tables and rows made by `script`."""
    db = sqlite3.connect(path)
    db.executescript(script)
    db.commit()
    db.close()
    return path


def test_a_history_file_from_before_timing_gains_the_columns_and_keeps_its_rows(tmp_path):
    path = old_history(
        tmp_path / "old.sqlite",
        "CREATE TABLE attempts (id INTEGER PRIMARY KEY AUTOINCREMENT, profile TEXT NOT NULL, question_id TEXT NOT NULL,"
        " topic TEXT NOT NULL DEFAULT '', answer TEXT NOT NULL, score INTEGER NOT NULL, verdict TEXT NOT NULL,"
        " missed TEXT NOT NULL DEFAULT '[]', hint_used INTEGER NOT NULL DEFAULT 0, session TEXT NOT NULL DEFAULT '',"
        " created_at REAL NOT NULL);"
        "INSERT INTO attempts (profile, question_id, answer, score, verdict, created_at) VALUES ('p', 'b/1', 'old', 50, 'partial', 0);"
    )
    h = History(path)
    h.record("p", "b/2", "new", 80, "good", [], now=1.0, seconds=30.0)
    old, new = h.attempts("p")
    assert (old["answer"], old["seconds"], old["spoken"]) == ("old", None, False)
    assert (new["answer"], new["seconds"]) == ("new", 30.0)


def test_an_sm2_history_file_moves_to_fsrs_keeping_its_attempts_and_due_times(tmp_path):
    path = old_history(
        tmp_path / "sm2.sqlite",
        "CREATE TABLE attempts (id INTEGER PRIMARY KEY AUTOINCREMENT, profile TEXT NOT NULL, question_id TEXT NOT NULL,"
        " topic TEXT NOT NULL DEFAULT '', answer TEXT NOT NULL, score INTEGER NOT NULL, verdict TEXT NOT NULL,"
        " missed TEXT NOT NULL DEFAULT '[]', hint_used INTEGER NOT NULL DEFAULT 0, session TEXT NOT NULL DEFAULT '',"
        " created_at REAL NOT NULL, seconds REAL, delivery TEXT NOT NULL DEFAULT '');"
        "CREATE TABLE schedule (profile TEXT NOT NULL, question_id TEXT NOT NULL, repetitions INTEGER NOT NULL,"
        " interval REAL NOT NULL, easiness REAL NOT NULL, due REAL NOT NULL, PRIMARY KEY (profile, question_id));"
        "INSERT INTO attempts (profile, question_id, answer, score, verdict, created_at) VALUES"
        " ('p', 'b/1', 'a', 90, 'excellent', 0), ('p', 'b/1', 'b', 95, 'excellent', 86400), ('p', 'b/2', 'c', 10, 'insufficient', 0);"
        "INSERT INTO schedule VALUES ('p', 'b/1', 2, 6.0, 2.6, 604800.0), ('p', 'b/2', 0, 1.0, 1.96, 86400.0);"
    )
    h = History(path)
    assert [a["answer"] for a in h.attempts("p")] == ["a", "c", "b"]  # oldest first
    good, failed = h.card("p", "b/1"), h.card("p", "b/2")
    assert (good.state, good.stability, good.due, good.reviews) == ("review", 6.0, 604800.0, 2)
    assert (failed.state, failed.due, failed.reviews) == ("relearning", 86400.0, 1)
    assert [q for q, _ in h.due("p", now=86400.0)] == ["b/2"]
    h.record("p", "b/2", "d", 70, "good", [], now=86400.0)  # and it is scheduled by FSRS from there
    assert h.card("p", "b/2").reviews == 2
    History(path)  # a second open finds nothing left to migrate
    assert h.card("p", "b/1") == good


def test_bookmarks_and_notes_per_profile_and_question(tmp_path):
    h = History(tmp_path / "h.sqlite")
    assert h.note("p", "b/1") == (False, "")
    h.set_note("p", "b/1", bookmarked=True)
    h.set_note("p", "b/1", note="0.25가 어디서 나오는지 다시 보기")  # the bookmark stays
    h.set_note("p", "b/2", note="x" * 6_000)
    h.set_note("other", "b/1", bookmarked=True)
    assert h.note("p", "b/1") == (True, "0.25가 어디서 나오는지 다시 보기")
    assert len(h.note("p", "b/2")[1]) == 5_000  # a note is kept to its limit
    assert [q for q, _, _ in h.notes("p")] == ["b/2", "b/1"]  # latest first, never another profile's
    h.set_note("p", "b/2", note="")
    assert [q for q, _, _ in h.notes("p")] == ["b/1"]  # an emptied note without a bookmark drops out


POINTS = [{"text": "a", "status": "covered"}, {"text": "b", "status": "missed"}, {"text": "c", "status": "contradicted"}]


def test_an_overruled_grade_is_kept_beside_the_graders_and_counts(tmp_path):
    h = History(tmp_path / "h.sqlite")
    first = h.record("p", "b/1", "답", 30, "insufficient", ["b"], now=0.0, points=POINTS)
    a = h.overrule("p", first, score=90, points={"b": "covered"}, now=5.0)
    assert (a["score"], a["graded_score"], a["overruled"]) == (90, 30, True)
    assert a["overruled_points"] == {"b": "covered"} and a["points"] == POINTS  # the grader's verdicts stay
    assert a["missed"] == []  # what counts as missed is the user's
    assert h.averages("p") == {"b/1": (90.0, 1)}
    # A second overrule changes only what it names: the score stays, another point joins.
    a = h.overrule("p", first, points={"a": "missed"})
    assert a["score"] == 90 and a["overruled_points"] == {"b": "covered", "a": "missed"}
    row = next(csv.DictReader(io.StringIO(h.export_csv("p"))))
    assert (row["attempt"], row["score"], row["overruled_score"]) == (str(first), "30", "90")
    assert row["overruled_points"] == "b: covered | a: missed"


def test_an_overruled_score_reschedules_the_latest_attempt_from_the_card_before_it(tmp_path):
    h = History(tmp_path / "h.sqlite")
    attempt = h.record("p", "b/1", "x", 20, "insufficient", [], now=0.0, points=POINTS)
    assert h.card("p", "b/1").due < 3600  # again: back within minutes
    h.overrule("p", attempt, score=100)
    easy = h.card("p", "b/1")
    assert easy.reviews == 1 and easy.state == "review" and easy.due > 86400  # as if it had been graded 100
    # An earlier attempt's overrule leaves the schedule that later attempts made.
    later = h.record("p", "b/1", "y", 20, "insufficient", [], now=10 * 86400.0, points=POINTS)
    card = h.card("p", "b/1")
    h.overrule("p", attempt, score=0)
    assert h.card("p", "b/1") == card and later > attempt


def test_overrules_are_checked_and_stay_in_their_profile(tmp_path):
    h = History(tmp_path / "h.sqlite")
    attempt = h.record("p", "b/1", "x", 50, "partial", [], now=0.0, points=POINTS)
    for kwargs, code in (
        (dict(score=101), "bad_score"),
        (dict(points={"z": "covered"}), "bad_point"),
        (dict(points={"a": "right"}), "bad_status"),
    ):
        with pytest.raises(InterviewError) as e:
            h.overrule("p", attempt, **kwargs)
        assert e.value.code == code
    with pytest.raises(InterviewError) as e:
        h.overrule("someone-else", attempt, score=10)
    assert e.value.code == "no_attempt"
    assert not h.attempt("p", attempt)["overruled"]  # nothing half-written


def test_overruled_attempts_export_as_labelled_answers(tmp_path):
    h = History(tmp_path / "h.sqlite")
    h.record("p", "b/1", "not overruled", 50, "partial", [], now=0.0, points=POINTS)
    attempt = h.record("p", "b/2", "내 답", 30, "insufficient", [], now=1.0, points=POINTS)
    h.overrule("p", attempt, score=70, points={"b": "covered", "c": "missed"})
    (label,) = h.labels("p")
    assert label == {
        "question_id": "b/2", "answer": "내 답", "covered": "1;2", "contradicted": "", "grade": 3.5,
        "style": "user", "kind": "overruled", "writer": "user:p", "attempt": attempt,
    }
    assert h.labels("other") == []


def test_a_history_file_without_the_overrule_columns_gets_them(tmp_path):
    path = tmp_path / "h.sqlite"
    db = sqlite3.connect(path)
    db.execute(
        "CREATE TABLE attempts (id INTEGER PRIMARY KEY AUTOINCREMENT, profile TEXT NOT NULL, question_id TEXT NOT NULL, "
        "topic TEXT NOT NULL DEFAULT '', answer TEXT NOT NULL, score INTEGER NOT NULL, verdict TEXT NOT NULL, "
        "missed TEXT NOT NULL DEFAULT '[]', hint_used INTEGER NOT NULL DEFAULT 0, session TEXT NOT NULL DEFAULT '', "
        "created_at REAL NOT NULL, seconds REAL, delivery TEXT NOT NULL DEFAULT '')"
    )
    db.execute("INSERT INTO attempts (profile, question_id, answer, score, verdict, created_at) VALUES ('p', 'b/1', 'x', 40, 'partial', 0)")
    db.commit()
    db.close()
    h = History(path)
    (a,) = h.attempts("p")
    assert a["points"] == [] and not a["overruled"] and a["score"] == 40
    assert h.overrule("p", a["id"], score=60)["score"] == 60  # no card to rewind: the schedule stays
