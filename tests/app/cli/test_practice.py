"""`interview practice` runs the web app's interview flow in a terminal: follow-ups, hints, skips, history."""

import io
import json
import sys

from app.cli import main
from app.core.settings import Settings
from app.practice.history import History
from tests.app.practice.test_interview import GOOD_1


def practice(capsys, monkeypatch, mini_content, typed: str, *extra: str):
    monkeypatch.setattr(sys, "stdin", io.StringIO(typed))
    code = main(["practice", "--content", str(mini_content), "--encoder", "fake", "--profile", "minji", *extra])
    out, err = capsys.readouterr()
    return code, out + err


def test_a_terminal_interview_follows_up_gives_hints_and_records_every_attempt(capsys, monkeypatch, mini_content):
    # The flow under test, not the grade: with the fake encoder any graded answer counts as good.
    monkeypatch.setattr("app.practice.interview.GOOD_ENOUGH", 0)
    typed = f"{GOOD_1}\n\n/hint\n/skip\n잘 모르겠습니다\n\n"
    code, out = practice(capsys, monkeypatch, mini_content, typed, "-n", "2")
    assert code == 0
    assert "질문 (mini/1). What is overfitting?" in out
    assert "꼬리 질문 (mini/1-1). How do you prevent overfitting?" in out  # a good answer gets the sub-question
    assert "힌트: " in out  # the first key point of mini/1-1
    assert "질문 (mini/2)." in out and "mini/2: 0/100 (no-answer)" in out
    assert "면접 요약: 평균" in out and "3문항" in out
    attempts = History(Settings().history_path).attempts("minji")
    assert [(a["question_id"], a["verdict"], a["hint_used"]) for a in attempts] == [
        ("mini/1", attempts[0]["verdict"], False), ("mini/1-1", "skipped", True), ("mini/2", "no-answer", False)]


def test_start_answer_reveal_end_of_input_and_empty_answers(capsys, monkeypatch, mini_content):
    code, out = practice(capsys, monkeypatch, mini_content, "\n/answer\n", "--start", "mini/2")
    assert code == 0 and out.index("질문 (mini/2)") < out.index("답변이 비어 있습니다")
    assert "GPUs" in out or "GPU" in out  # the reference answer of mini/2 was shown
    assert "질문 (mini/1)" in out  # the plan wraps round to the bank's other main question
    assert "면접 요약" in out  # end of input ends the interview with its summary
    assert [a["verdict"] for a in History(Settings().history_path).attempts("minji")] == ["revealed"]


def test_practice_errors_are_one_line(capsys, monkeypatch, mini_content):
    code, err = practice(capsys, monkeypatch, mini_content, "", "--start", "mini/99")
    assert code == 1 and "error: unknown question id 'mini/99'" in err and len(err.strip().splitlines()) == 1
    code, err = practice(capsys, monkeypatch, mini_content, "", "--mode", "sideways")
    assert code == 1 and "error: unknown mode 'sideways'" in err


def test_history_commands_list_overrule_and_export_labels(capsys, monkeypatch, mini_content, tmp_path):
    practice(capsys, monkeypatch, mini_content, "Use more data.\n\n/end\n", "--start", "mini/1")
    (a,) = History(Settings().history_path).attempts("minji")
    assert main(["history", "list", "--profile", "minji"]) == 0
    out = capsys.readouterr().out
    assert f"#{a['id']}" in out and "mini/1" in out and "1. " in out  # the key points, numbered for overrule
    assert main(["history", "overrule", str(a["id"]), "--profile", "minji", "--score", "75", "--covered", "1", "--missed", "2"]) == 0
    assert "75 (grader" in capsys.readouterr().out
    after = History(Settings().history_path).attempt("minji", a["id"])
    first, second = (p["text"] for p in after["points"][:2])
    assert after["score"] == 75 and after["overruled_points"] == {first: "covered", second: "missed"}
    labels = tmp_path / "labels.jsonl"
    assert main(["history", "labels", "--profile", "minji", "-o", str(labels)]) == 0
    (row,) = [json.loads(line) for line in labels.read_text(encoding="utf-8").splitlines()]
    assert row["question_id"] == "mini/1" and row["grade"] == 3.75 and row["covered"].split(";")[0] == "1"
    assert "2" not in row["covered"].split(";")
    export = tmp_path / "h.csv"
    assert main(["history", "export", "--profile", "minji", "-o", str(export)]) == 0
    assert export.read_text(encoding="utf-8").startswith("\ufeffattempt,")
    capsys.readouterr()
    # Bad numbers get one line that says what to do, and nothing changes.
    assert main(["history", "overrule", str(a["id"]), "--profile", "minji", "--covered", "99"]) == 1
    err = capsys.readouterr().err
    assert "key points 1-" in err and len(err.strip().splitlines()) == 1
    assert main(["history", "overrule", "999", "--profile", "minji", "--score", "10"]) == 1
    assert "interview history list" in capsys.readouterr().err


def test_practice_writes_the_summary_page_when_asked(capsys, monkeypatch, mini_content, tmp_path):
    page = tmp_path / "summary.html"
    code, out = practice(capsys, monkeypatch, mini_content, "Use more data.\n\n/end\n", "--start", "mini/1", "--summary", str(page))
    assert code == 0 and str(page) in out
    html = page.read_text(encoding="utf-8")
    assert "모의 면접 요약" in html and "Use more data." in html and "What is overfitting?" in html
