import json
import os
import subprocess
import sys

import pytest

from app.cli import main
from tests.conftest import DATA, ROOT


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    "argv, message",
    [
        (["grade", "mini/99", "x"], "error: unknown question id 'mini/99': did you mean"),
        (["grade", "1-1", "x"], "did you mean mini/1-1?"),
        (["grade", "mini/3", "x"], "has no reference answer"),
        (["grade", "mini/1", "x", "--encoder", "word2vec"], "error: unknown encoder 'word2vec'"),
        (["ask", "   "], "error: the question is empty"),
        (["ask", "x", "-k", "0"], "error: -k must be at least 1, got 0"),
        (["bank", "dump", "nope.md"], "error: bank file not found: nope.md"),
        (["grade", "mini/1", "x", "--content", "no-such-dir"], "error: content folder not found: no-such-dir"),
    ],
)
def test_user_errors_are_one_line_and_exit_1(capsys, mini_content, argv, message):
    if "--content" not in argv:
        argv = argv + ["--content", str(mini_content)]
    if "--encoder" not in argv and argv[0] in ("grade", "ask"):
        argv = argv + ["--encoder", "fake"]
    code, out, err = run(capsys, *argv)
    assert code == 1 and message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_bank_check_reports_file_line_and_exits_1_on_errors(capsys, tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_text("## #1\n\n#### A?\n\nx\n\n---\n\n## #1\n\n#### B?\n\ny\n", encoding="utf-8")
    code, out, _ = run(capsys, "bank", "check", str(bad))
    assert code == 1 and f"{bad}:9: error: duplicate anchor #1" in out
    code, out, _ = run(capsys, "bank", "check", str(DATA / "mini.md"))
    assert code == 0 and "warning: #3 has no answer" in out
    code, _, _ = run(capsys, "bank", "check", str(DATA / "mini.md"), "--strict")
    assert code == 1


def test_bank_dump_json(capsys):
    code, out, _ = run(capsys, "bank", "dump", str(DATA / "mini.md"), "--json")
    rows = json.loads(out)
    assert code == 0 and [r["id"] for r in rows] == ["mini/1", "mini/1-1", "mini/2", "mini/3"]
    assert {"id", "question", "answer", "key_points", "misconceptions", "references", "parent"} <= rows[0].keys()
    assert rows[1]["parent"] == "1" and rows[0]["references"][0]["url"].startswith("https://")


def test_grade_and_ask_json(capsys, mini_content):
    code, out, _ = run(
        capsys, "grade", "mini/2", "GPUs run many operations in parallel.", "--content", str(mini_content), "--encoder", "fake", "--json"
    )
    d = json.loads(out)
    assert code == 0 and d["question_id"] == "mini/2" and 0 <= d["score"] <= 100
    assert {"verdict", "covered", "missed", "misconceptions", "citations"} <= d.keys()
    assert {"question_id", "title", "url"} <= d["citations"][0].keys()
    code, out, _ = run(capsys, "ask", "What does a GPU speed up?", "-k", "2", "--content", str(mini_content), "--encoder", "fake", "--json")
    d = json.loads(out)
    assert code == 0 and {"query", "in_bank", "answer", "citations", "related"} <= d.keys()
    assert len(d["citations"]) + len(d["related"]) == 2  # -k 2 entries: the cited one(s), then related ones
    assert {"question_id", "title", "score"} <= d["citations"][0].keys()


def test_grade_reads_stdin(capsys, mini_content, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO("잘 모르겠습니다\n"))
    code, out, _ = run(capsys, "grade", "mini/1", "-", "--content", str(mini_content), "--encoder", "fake")
    assert code == 0 and "0/100 (no-answer)" in out


def test_index_build_reports_cache_use(capsys, mini_content):
    args = ["index", "build", "--content", str(mini_content), "--encoder", "fake", "--json"]
    first = json.loads(run(capsys, *args)[1])
    second = json.loads(run(capsys, *args)[1])
    assert first["embedded"] == first["count"] and second["embedded"] == 0 and second["from_cache"] == second["count"]


def test_help_has_examples(capsys):
    with pytest.raises(SystemExit):
        main(["grade", "--help"])
    assert "examples:" in capsys.readouterr().out


@pytest.mark.slow
def test_grade_text_shows_each_point_with_its_sentence(real_kb, real_home, capsys, monkeypatch):
    from app.cli import main

    monkeypatch.setenv("INTERVIEW_HOME", str(real_home))
    wrong = "Sigmoid의 도함수는 최댓값이 1이라 기울기가 줄지 않습니다. ReLU는 계산이 빨라서 많이 씁니다."
    assert main(["grade", "deep-learning/5", wrong]) == 0
    out = capsys.readouterr().out
    assert "! Sigmoid 도함수의 최댓값은 0.25이다." in out and '틀림 (wrong): "Sigmoid의 도함수는 최댓값이 1이라' in out
    assert "  ✗ " in out  # missed points are listed too


def test_cold_grade_with_the_real_model_imports_neither_torch_nor_gradio(real_kb, real_home):
    code = (
        "import sys; from app.cli import main; rc = main(['grade', 'deep-learning/12', 'ReLU는 양수에서 기울기가 1입니다.', '--json']);"
        "print('MODULES', 'torch' in sys.modules, 'gradio' in sys.modules, 'sentence_transformers' in sys.modules); sys.exit(rc)"
    )
    env = dict(os.environ, INTERVIEW_HOME=str(real_home))
    p = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    assert "MODULES False False False" in p.stdout
    assert json.loads(p.stdout[: p.stdout.index("MODULES")])["question_id"] == "deep-learning/12"


def test_logins_come_from_repeated_auth_and_an_auth_file(tmp_path):
    from app.web.auth import parse_auth as _parse_auth

    logins = tmp_path / "logins.txt"
    logins.write_text("# study group\nminji:s3cret\n\njunho:p:w\n", encoding="utf-8")
    assert _parse_auth(None) is None
    assert _parse_auth(["a:b"], logins) == [("a", "b"), ("minji", "s3cret"), ("junho", "p:w")]


@pytest.mark.parametrize(
    "values, text, message",
    [
        (["minji"], None, "--auth: each login must be USER:PASS with both parts non-empty (user 'minji')"),
        ([":pw"], None, "(user '?')"),
        (["a:1", "a:2"], None, "user 'a' is given twice"),
        (None, "ok:1\nbroken\n", "logins.txt:2: each login must be USER:PASS"),
        (None, "# nothing\n", "has no USER:PASS lines"),
    ],
)
def test_bad_logins_are_one_line_errors_that_never_echo_a_password(tmp_path, values, text, message):
    from app.web.auth import parse_auth as _parse_auth
    from index.errors import InterviewError

    file = None
    if text is not None:
        file = tmp_path / "logins.txt"
        file.write_text(text, encoding="utf-8")
    with pytest.raises(InterviewError) as e:
        _parse_auth(values, file)
    assert message in str(e.value) and "\n" not in str(e.value)
    assert "pw" not in str(e.value) and ":1" not in str(e.value)


def test_serve_warns_on_a_public_address_without_a_login(capsys, caplog, mini_content, monkeypatch):
    import app.web.app

    served = {}
    monkeypatch.setattr(app.web.app, "serve", lambda kb, history, settings, **kw: served.update(kw))
    code, _, _ = run(capsys, "serve", "--host", "0.0.0.0", "--port", "8080", "--content", str(mini_content), "--encoder", "fake")
    assert code == 0 and "listening on 0.0.0.0 without --auth" in caplog.text
    assert served["host"] == "0.0.0.0" and served["auth"] is None
    caplog.clear()
    code, _, _ = run(capsys, "serve", "--content", str(mini_content), "--encoder", "fake", "--auth", "minji:pw")
    assert "without --auth" not in caplog.text and served["host"] == "127.0.0.1" and served["auth"] == [("minji", "pw")]
