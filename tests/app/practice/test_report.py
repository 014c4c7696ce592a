"""The interview summary page: every turn with its key points, the user's overrules, escaped text, print styles."""

import pytest

from app.practice import interview as flow
from app.practice.history import History
from app.practice.report import summary_html


@pytest.fixture
def history(tmp_path):
    return History(tmp_path / "h.sqlite")


def test_the_summary_page_shows_each_turn_its_points_and_overrules(fake_kb, history):
    iv = flow.start(fake_kb, history, "p", "mini", "in-order", 2)
    flow.answer(fake_kb, history, iv, "<script>alert(1)</script> Use more data.")
    graded = iv.turns[-1].score
    stated = fake_kb.question("mini/1").points()[1]
    flow.overrule(history, iv, score=88, covered=[stated])
    flow.skip(fake_kb, history, iv)
    flow.end(iv)
    page = summary_html(fake_kb, history, iv, "ko")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # the answer, escaped
    assert page.count('<section class="turn">') == 2
    assert fake_kb.question("mini/1").question in page and "mini/1" in page
    assert f"직접 바로잡음 (채점기 {graded}점)" in page and ">88<" in page
    assert f'<li class="covered">✓ 짚음: {stated}</li>' in page  # the user's verdict on the point
    assert "모범 답안" in page and "@media print" in page and "break-inside: avoid" in page
    skipped = page.split('<section class="turn">')[2]
    assert "내 답변" not in skipped and "✗ 놓침" in skipped  # a skip shows the points, no answer
    english = summary_html(fake_kb, history, iv, "en")
    assert "Mock interview summary" in english and "overruled by you (the grader gave" in english and 'lang="en"' in english
