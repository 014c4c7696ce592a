"""Hostile input in a real browser: no script runs, no injected element appears, the text is shown
as text, oversized input is cut with a notice, and every case gets a reply in bounded time.

The bound is Playwright's wait (60 s a step): a case that hangs fails the test. The time each
case took is printed (run with -s) for docs/reliability.md; nothing asserts on speed.
"""

import time

import pytest

from app.core.limits import MAX_ANSWER_CHARS, MAX_ECHO_CHARS, MAX_QUERY_CHARS

from .test_browser import set_profile, wait_for_reply

pytestmark = pytest.mark.slow

PWN = "window.__pwned=(window.__pwned||0)+1"
ANSWERS = {
    "img onerror": f'<img src=x onerror="{PWN};alert(1)"> 드롭아웃은 과적합을 줄인다',
    "script tag": f"<script>{PWN};alert(2)</script>배치 정규화는 층의 입력 분포를 정규화한다",
    "javascript link": '[여기를 누르세요](javascript:alert(3)) 그리고 <a href="javascript:alert(4)">이것도</a>',
    "zero-width and control": "\u200b\u200d\ufeff드롭\u200b아웃은\u0007 학습 때 뉴런을\u0008 무작위로 끈다\u202e",
    "only emoji": "🙂🚀🔥🤖" * 20,
    "right-to-left": "الشبكة العصبية تتعلم الأوزان بالانتشار العكسي \u202eevil.exe",
    "10,000 lines": "줄바꿈 공격\n" * 10_000,
    "1 MB": "기울기 소실은 역전파에서 미분값이 곱해지며 작아지는 현상이다. " * 28_000,
}


@pytest.fixture
def watched(page):
    """The page, with every dialog recorded (and dismissed): none may open."""
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    yield page
    assert dialogs == [], f"a script ran: {dialogs}"
    assert page.evaluate("window.__pwned") is None, "injected code ran"


def no_injected_elements(page):
    assert page.locator("img[src='x'], #chat script, #ask-out script, #batch-table script").count() == 0
    assert page.locator("a[href^='javascript' i]").count() == 0


def send(page, text):
    """Paste an answer and press Enter; return the seconds until the graded reply of this turn."""
    before = page.locator("#chat .message").count()
    page.wait_for_function("!document.querySelector('#answer textarea').disabled")
    # as a paste does: the whole text at once, then one input event (typing 1 MB would take hours)
    page.evaluate(
        "t => { const el = document.querySelector('#answer textarea'); el.value = t;"
        " el.dispatchEvent(new Event('input', {bubbles: true})); }",
        text,
    )
    started = time.perf_counter()
    page.locator("#answer textarea").press("Enter")
    wait_for_reply(page, before)
    return time.perf_counter() - started


def test_hostile_answers_are_graded_as_text_and_run_nothing(watched):
    page = watched
    set_profile(page, "hostile")
    count = page.locator("#count input[type=number]")
    count.fill(str(len(ANSWERS) + 1))
    count.press("Tab")
    page.click("#start")
    page.wait_for_function("document.querySelector('#chat').innerText.includes('질문 1')")
    for name, text in ANSWERS.items():
        seconds = send(page, text)
        print(f"{name}: reply in {seconds:.2f} s")
        no_injected_elements(page)
        chat = page.locator("#chat").inner_text()
        if name in ("img onerror", "script tag"):
            assert text[:40] in chat  # the markup is shown as typed
        if name == "javascript link":
            assert "javascript:alert(3)" in chat
        if name == "1 MB":
            # cut at the documented limit, with a notice, and the chat shows a bounded part
            page.wait_for_selector(f"text=앞의 {MAX_ANSWER_CHARS:,}자만 받아 채점합니다")
            assert f"이하 {MAX_ANSWER_CHARS - MAX_ECHO_CHARS:,}자 생략" in chat
            assert page.locator("#answer textarea").input_value() == ""  # sent, not left half-sent
        assert page.locator("#feedback .score").count() == 1 or "답변" in page.locator("#feedback").inner_text()
    # one graded attempt per case, all stored
    page.get_by_role("tab", name="진행 상황").click()
    page.wait_for_function(f"document.querySelector('#attempts').innerText.split('deep-learning/').length - 1 >= {len(ANSWERS)}")
    no_injected_elements(page)


def test_hostile_questions_in_ask_are_searched_as_text(watched):
    page = watched
    page.get_by_role("tab", name="질문하기").click()
    box = page.locator("#query textarea, #query input").first
    cases = [
        ("img onerror", '<img src=x onerror="'),
        ("javascript link", "](javascript:alert(3))"),
        ("zero-width and control", "무작위로"),
        ("only emoji", "🙂🚀🔥"),
    ]
    for name, shown in cases:
        box.fill(ANSWERS[name])
        box.press("Enter")
        # the reply repeats the question as text: the markup must arrive as typed, not as elements
        page.wait_for_function("t => document.querySelector('#ask-out .query')?.innerText.includes(t)", arg=shown)
        no_injected_elements(page)
    box.fill("드롭아웃이 무엇인가요? " * 400)  # 5,600 characters
    box.press("Enter")
    page.wait_for_selector(f"text=앞의 {MAX_QUERY_CHARS:,}자로 찾습니다")
    page.wait_for_function("document.querySelector('#ask-out .query')?.innerText.startsWith('Q. 드롭아웃이')")


def test_a_batch_upload_with_bad_bytes_and_markup_is_reported_row_by_row(watched, tmp_path):
    page = watched
    src = tmp_path / "hostile.csv"
    src.write_bytes(
        b"id,respondent,question_id,answer\n"
        + f'x1,"<img src=x onerror=""{PWN}"">",deep-learning/12,"<script>{PWN}</script>ReLU"\n'.encode()
        + b"x2,\xff\xfe\xfd,deep-learning/12,\x80\x81 broken bytes\n"
        + 'x3,=HYPERLINK("http://evil"),deep-learning/1,딥러닝은 깊은 신경망이다\n'.encode()
    )
    page.get_by_role("tab", name="일괄 채점").click()
    page.locator("#batch-file input[type=file]").set_input_files(str(src))
    page.click("#batch-run")
    page.wait_for_function("document.querySelector('#batch-summary').innerText.includes('행 채점')", timeout=60_000)
    table = page.locator("#batch-table").inner_text()
    assert "<img src=x" in table  # the respondent's markup, as text
    assert "UTF-8도 CP949도 아닌" in table  # the undecodable row, reported in the page's language
    no_injected_elements(page)
    # the HTML report of the same rows, loaded as a page: its markup stays text too
    link = page.locator("#batch-downloads a[href*='.html']").first.get_attribute("href")
    report = page.request.get(page.evaluate("u => new URL(u, location.href).href", link)).text()
    page.set_content(report)
    assert "<img src=x" in page.locator("body").inner_text()
    assert page.locator("img, script").count() == 0
