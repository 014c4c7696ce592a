import csv
import io
import sqlite3

from app.history import History


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
    h.record("p", "b/1", "x", 20, "insufficient", [], now=0.0)  # quality 1: due again in a day
    h.record("p", "b/2", "x", 100, "excellent", [], now=0.0)
    assert [q for q, _ in h.due("p", now=86400.0)] == ["b/1", "b/2"]
    assert h.card("p", "b/2").repetitions == 1
    assert h.due("other", now=1e12) == []


def test_export_csv_has_every_attempt(tmp_path):
    h = History(tmp_path / "h.sqlite")
    h.record("p", "b/1", "쉼표, 따옴표\"", 55, "partial", ["a", "b"], now=0.0)
    rows = list(csv.DictReader(io.StringIO(h.export_csv("p"))))
    assert rows[0]["answer"] == "쉼표, 따옴표\"" and rows[0]["missed"] == "a | b" and rows[0]["score"] == "55"


def test_export_csv_never_hands_a_spreadsheet_a_formula(tmp_path):
    h = History(tmp_path / "h.sqlite")
    for answer in ("=HYPERLINK(\"http://evil\",\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "평범한 답"):
        h.record("p", "b/1", answer, 10, "insufficient", [], now=0.0)
    answers = [r["answer"] for r in csv.DictReader(io.StringIO(h.export_csv("p")))]
    assert answers == ["'=HYPERLINK(\"http://evil\",\"x\")", "'+1+1", "'-2+3", "'@SUM(A1)", "'\tcmd", "평범한 답"]


def test_sessions_are_saved_under_a_token_with_their_profile(tmp_path):
    h = History(tmp_path / "h.sqlite")
    h.save_session("tok", "p", {"x": 1})
    assert h.load_session("tok") == ("p", {"x": 1})
    assert h.load_session("other") is None
    h.clear_session("tok")
    assert h.load_session("tok") is None


def test_attempts_survive_a_new_connection_and_use_wal(tmp_path):
    path = tmp_path / "h.sqlite"
    h = History(path)
    h.record("p", "b/1", "x", 50, "partial", [])
    h.close()
    assert len(History(path).attempts("p")) == 1
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
