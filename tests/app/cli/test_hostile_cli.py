"""Hostile input on the command line, with the real model: every case gets a graded reply (or a
one-line message), the output is valid JSON, and nothing the terminal would run is echoed."""

import io
import json
import sys
import time

import pytest

from app.cli import main
from tests.app.web.test_hostile import ANSWERS

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("name", list(ANSWERS) + ["invalid UTF-8", "terminal escapes"])
def test_hostile_answers_on_stdin_are_graded(real_kb, real_home, monkeypatch, capsys, name):
    monkeypatch.setenv("INTERVIEW_HOME", str(real_home))
    data = {"invalid UTF-8": b"\xff\xfe\x80 \xc3\x28 ReLU", "terminal escapes": b"\x1b]0;pwned\x07\x1b[2J\x1b[31mReLU"}.get(name)
    data = data if data is not None else ANSWERS[name].encode("utf-8")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="surrogateescape"))
    started = time.perf_counter()
    code = main(["grade", "deep-learning/12", "-", "--json"])
    seconds = time.perf_counter() - started
    out, err = capsys.readouterr()
    print(f"{name}: {seconds:.2f} s", file=sys.__stdout__)
    assert code == 0, err
    result = json.loads(out)
    assert 0 <= result["score"] <= 100 and result["verdict"]
    assert "\x1b" not in out and "\x07" not in out  # the answer is never echoed raw to the terminal
    if name == "1 MB":
        assert "4000" in result["message"]  # cut at the grader's documented limit, with a notice
    if name == "only emoji":
        assert result["score"] == 0 and result["message"]
