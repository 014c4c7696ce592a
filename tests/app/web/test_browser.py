"""The web app in a real browser: interview with a follow-up, ask, reload and resume, progress."""

import re

import pytest

from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.slow

GOOD_5 = (
    "Sigmoid, Tanh, ReLU, Leaky ReLU 등이 있습니다. Sigmoid는 출력이 0과 1 사이라 확률 출력에 쓰지만 포화되면 기울기가 0에 "
    "가까워지고 출력이 0 중심이 아닙니다. Tanh는 -1에서 1 사이로 0 중심이지만 역시 포화됩니다. ReLU는 양수에서 기울기가 1이라 "
    "기울기 소실이 적고 계산이 빠르지만 음수에서 뉴런이 죽을 수 있어, 음수에 작은 기울기를 주는 Leaky ReLU를 씁니다."
)
GOOD_12 = (
    "가장 큰 이유는 기울기 소실 때문입니다. Sigmoid는 미분값이 최대 0.25이고 입력이 크거나 작으면 거의 0이라, 역전파 때 "
    "chain rule로 여러 층의 미분값을 곱하면 앞쪽 층으로 갈수록 gradient가 0에 가까워집니다. ReLU는 양수 구간에서 미분값이 "
    "1이라 기울기가 그대로 전달됩니다. ReLU는 지수 연산 없이 0과 비교만 하므로 계산이 쌉니다. ReLU는 음수 입력을 0으로 만들어 "
    "희소한 활성값을 만듭니다."
)
WEAK = "비선형이 있어야 복잡한 걸 배울 수 있습니다."


def set_profile(page, name):
    box = page.locator("#profile input, #profile textarea").first
    box.fill(name)
    box.press("Tab")


def choose_topic(page, topic):
    page.locator("#topics input").click()
    page.get_by_role("option", name=topic, exact=True).click()
    page.keyboard.press("Escape")


def bank_options(page) -> list[str]:
    """The bank list's choices as shown ('딥러닝 면접 질문 (20)'): an opened dropdown's options stay in
    the page, so the topic options are told apart by the count the bank choices end with."""
    page.locator("#bank input").click()
    texts = [o.replace("✓", "").strip() for o in page.get_by_role("option").all_inner_texts()]
    page.keyboard.press("Escape")
    page.wait_for_timeout(500)  # the list closes before the next click opens it again
    return list(dict.fromkeys(o for o in texts if re.search(r"\(\d+\)$", o)))


def wait_for_reply(page, before: int) -> None:
    """Wait until the chat has this turn's three new messages (answer, score, next question) or has ended."""
    page.wait_for_function(
        "n => document.querySelectorAll('#chat .message').length >= n + 3"
        " || document.querySelector('#chat').innerText.includes('끝났습니다')",
        arg=before,
    )


def answer(page, text):
    """Type an answer and press Enter; wait for the graded reply of this turn."""
    before = page.locator("#chat .message").count()
    box = page.locator("#answer textarea")
    box.fill(text)
    box.press("Enter")
    wait_for_reply(page, before)
    page.wait_for_selector("#feedback .score")
    return page.locator("#feedback")


def chat_text(page):
    return page.locator("#chat").inner_text()


def message(page, index: int = -1) -> str:
    """The text of one chat message once it has rendered (Gradio shows 'Loading content' while a message mounts)."""
    page.wait_for_function(
        "i => { const m = [...document.querySelectorAll('#chat .message')].at(i);"
        " return m && m.innerText.trim() && !m.innerText.includes('Loading content'); }",
        arg=index,
    )
    return page.locator("#chat .message").nth(index).inner_text()


def test_three_question_interview_with_a_follow_up(page):
    set_profile(page, "browser-interview")
    choose_topic(page, "활성화 함수")
    page.click("#start")
    page.wait_for_function("document.querySelector('#chat').innerText.includes('질문 1')")
    assert "deep-learning/5" in chat_text(page)

    fb = answer(page, GOOD_5)
    score = int(
        fb.get_attribute("data-score")
        if fb.get_attribute("data-score")
        else page.locator("#feedback .feedback").get_attribute("data-score")
    )
    assert score >= 65 and "점" in page.locator("#feedback .score").inner_text()
    assert page.locator("#feedback ol.citations a").count() >= 1  # the entry's references, as links
    assert page.locator("#feedback mark.ok").count() >= 1  # the sentences that state a key point, marked in the answer
    page.wait_for_function("document.querySelector('#chat').innerText.includes('deep-learning/12')")

    answer(page, GOOD_12)
    page.wait_for_function("document.querySelector('#chat').innerText.includes('꼬리 질문')")
    assert "deep-learning/12-1" in chat_text(page)  # the follow-up of #12 after a good answer

    answer(page, WEAK)
    assert page.locator("#feedback ul.missed li").count() >= 1  # what the weak answer missed
    assert page.locator("#feedback details.reference").count() == 1  # the reference answer, collapsed
    page.wait_for_function("document.querySelector('#chat').innerText.includes('끝났습니다')")
    page.wait_for_selector("#summary")
    assert "deep-learning/12-1" in page.locator("#summary").inner_text()
    assert re.search(r"평균 점수: \d", page.locator("#total").inner_text())
    with page.expect_download() as got:  # the summary page to keep or print
        page.click("#summary-download")
    summary = open(got.value.path(), encoding="utf-8").read()
    assert summary.count('<section class="turn">') == 3 and "꼬리 질문" in summary and "@media print" in summary
    assert "기울기 소실" in summary and "✓ 짚음" in summary  # the answers as given and their key points
    kept = ARTIFACTS / "interview-summary.html"
    got.value.save_as(kept)
    assert got.value.suggested_filename.endswith(".html")
    shown = page.context.new_page()  # and it renders: open it as a user would
    shown.goto(kept.resolve().as_uri())
    assert shown.locator("section.turn").count() == 3
    shown.screenshot(path=str(ARTIFACTS / "interview-summary.png"), full_page=True)
    shown.close()


WRONG_5 = (
    "Sigmoid의 도함수는 최댓값이 1이라서 층을 많이 쌓아도 기울기가 줄어들지 않습니다. "
    "Tanh는 출력 범위가 -1에서 1이라 0 중심이고, ReLU는 계산이 빨라서 많이 씁니다."
)


def test_a_wrong_claim_is_shown_with_its_sentence_and_the_correct_claim(page):
    set_profile(page, "browser-wrong-claim")
    choose_topic(page, "활성화 함수")
    page.click("#start")
    page.wait_for_function("document.querySelector('#chat').innerText.includes('질문 1')")
    fb = answer(page, WRONG_5)
    wrong = fb.locator("ul.contradicted li")
    assert wrong.count() >= 1
    assert "0.25" in wrong.first.inner_text() and "최댓값이 1" in wrong.first.inner_text()  # the correct claim beside what was said
    assert "최댓값이 1" in fb.locator("mark.bad").first.inner_text()  # the deciding sentence, marked in the answer
    assert int(page.locator("#feedback .feedback").get_attribute("data-score")) <= 40
    page.screenshot(path=str(ARTIFACTS / "wrong-claim.png"), full_page=True)


def test_ask_tab_answers_with_citations_and_says_when_not_covered(page):
    page.get_by_role("tab", name="질문하기").click()
    box = page.locator("#query textarea, #query input").first
    box.fill("드롭아웃을 쓰면 어떤 효과가 있나요?")
    box.press("Enter")
    page.wait_for_selector("#ask-out .answer")
    assert "[1]" in page.locator("#ask-out .answer").inner_text()
    first = page.locator("#ask-out ol.citations details").first
    assert first.get_attribute("data-qid") == "deep-learning/16-1"
    assert page.locator("#ask-out ol.citations > li").count() == 1  # only the cited entry is listed as a citation
    url = page.url
    assert first.get_attribute("open") is None
    page.locator("#ask-out a.cite").first.click()  # [1] opens its entry and scrolls to it; the URL stays
    page.wait_for_function("document.querySelector('#ask-out ol.citations details').open")
    assert page.url == url and "드롭아웃" in first.inner_text()
    box.fill("김치찌개 맛있게 끓이는 법")
    box.press("Enter")
    page.wait_for_selector("#ask-out .not-covered")


def test_reload_mid_interview_resumes_it(page):
    set_profile(page, "browser-resume")
    page.click("#start")
    page.wait_for_function("document.querySelector('#chat').innerText.includes('질문 1')")
    answer(page, "딥러닝은 여러 층의 신경망으로 데이터에서 특징을 스스로 학습하는 머신러닝의 한 분야입니다.")
    before = chat_text(page)
    page.reload()
    page.wait_for_selector("#start")
    page.wait_for_function("document.querySelector('#chat').innerText.includes('이어서')")
    assert "deep-learning/1" in chat_text(page) and "질문 2" in chat_text(page)
    assert before.split("질문 2")[0][:40] in chat_text(page)
    answer(page, "비용 함수는 예측과 정답의 차이를 재는 함수이고, 활성화 함수는 뉴런 출력에 비선형성을 주는 함수입니다.")
    assert "질문 3" in chat_text(page)


def test_a_reload_restores_the_setup_of_the_running_interview(page):
    from index.banks import load_bank

    stats = load_bank("content/statistics.md")
    mains = [q for q in stats.questions if q.parent is None and q.answered]
    topic = mains[0].topics[0]
    set_profile(page, "browser-setup")
    page.locator("#bank input").click()
    page.get_by_role("option", name=f"확률과 통계 면접 질문 ({len(mains)})", exact=True).click()
    choose_topic(page, topic)
    page.get_by_text("무작위").click()
    page.locator("#time-limit input").click()
    page.get_by_role("option", name="2분", exact=True).click()
    page.keyboard.press("Escape")
    page.click("#start")
    page.wait_for_function("document.querySelector('#chat').innerText.includes('질문 1')")
    page.reload()
    page.wait_for_selector("#start")
    page.wait_for_function("document.querySelector('#chat')?.innerText.includes('이어서')")
    page.wait_for_function("document.querySelector('#bank input')?.value.includes('확률과 통계')")
    assert "2분" in page.locator("#time-limit input").input_value()
    assert page.locator("#mode input[type=radio]:checked").get_attribute("value") == "random"
    assert topic in page.locator("#topics").inner_text()  # the chosen topic survives with its bank


def test_two_tabs_keep_two_interviews(page):
    """A second tab of the same browser (same local storage) starts with no interview of its own,
    and each tab answers its own questions."""
    set_profile(page, "browser-tabs")
    page.click("#start")
    page.wait_for_function("document.querySelector('#chat').innerText.includes('질문 1')")
    second = page.context.new_page()
    try:
        second.goto(page.url)
        second.wait_for_selector("#start")
        second.wait_for_timeout(2_000)  # the page load has run
        assert "질문 1" not in second.locator("#chat").inner_text()  # not the first tab's interview
        set_profile(second, "browser-tabs")
        second.get_by_text("무작위").click()
        second.click("#start")
        second.wait_for_function("document.querySelector('#chat').innerText.includes('질문 1')")
        answer(page, "잘 모르겠습니다.")  # no answer: straight on to the next main question
        assert "질문 2" in chat_text(page) and "deep-learning/2" in chat_text(page)  # the first tab's own order
        second.reload()
        second.wait_for_selector("#start")
        second.wait_for_function("document.querySelector('#chat')?.innerText.includes('이어서')")
        assert "질문 2" not in second.locator("#chat").inner_text()  # its own interview: nothing answered there
    finally:
        second.close()


def test_progress_tab_lists_the_attempts(page):
    set_profile(page, "browser-progress")
    page.click("#start")
    page.wait_for_function("document.querySelector('#chat').innerText.includes('질문 1')")
    answer(page, "딥러닝은 깊은 신경망으로 표현을 학습하는 머신러닝입니다.")
    page.click("#skip")
    page.wait_for_function("document.querySelector('#chat').innerText.includes('건너뛰었습니다')")
    page.get_by_role("tab", name="진행 상황").click()
    page.wait_for_function("document.querySelector('#attempts').innerText.includes('deep-learning/2')")
    table = page.locator("#attempts").inner_text()
    assert "deep-learning/1" in table and "deep-learning/2" in table and "건너뜀" in table
    # The review schedule (FSRS): a skipped question is back within minutes, in its learning steps.
    page.wait_for_function("document.querySelector('#due').innerText.includes('deep-learning/2')")
    schedule = page.locator("#due").inner_text()
    assert "deep-learning/1" in schedule and "학습 중" in schedule, schedule


def test_batch_tab_grades_an_uploaded_file(page, tmp_path):
    import csv

    src = tmp_path / "cohort.csv"
    with open(src, "w", encoding="cp949", newline="") as f:  # as Excel saves Korean CSV
        w = csv.writer(f)
        w.writerow(["id", "respondent", "question_id", "answer", "human"])
        w.writerow(["s1", "김", "deep-learning/12", GOOD_12, "5"])
        w.writerow(["s2", "이", "deep-learning/12", "ReLU가 빨라서요.", "2"])
        w.writerow(["s3", "박", "deep-learning/99", "없는 질문", "0"])
    page.get_by_role("tab", name="일괄 채점").click()
    page.locator("#batch-file input[type=file]").set_input_files(str(src))
    page.locator("#batch-labels input, #batch-labels textarea").first.fill("human")
    page.click("#batch-run")
    page.wait_for_function("document.querySelector('#batch-summary').innerText.includes('행 채점')", timeout=60_000)
    summary = page.locator("#batch-summary").inner_text()
    assert "3행 중" in summary and "2행 채점" in summary and "Pearson" in summary
    table = page.locator("#batch-table").inner_text()
    assert "s1" in table and "없는 질문 id 'deep-learning/99'" in table  # the row's error, in the page's language
    assert "부족함" in table or "부분적" in table  # s2's verdict, in the page's language
    assert "짚은 핵심" in table and "놓친 핵심" in table  # the columns an instructor reads
    assert "Sigmoid" in table and "✓" in table and "✗" in table  # the question's text and the key points, not only ids
    page.wait_for_selector("#batch-hist svg.marks .mark-rect path", state="attached")  # the histogram is drawn
    assert page.locator("#batch-hist svg.marks .mark-rect path").count() == 10
    assert page.locator("#batch-downloads a").count() == 3  # JSONL, CSV and the HTML report


def test_the_language_switch_rewrites_every_registered_text(page):
    """The switch is driven by the tabs' table of (component, property, text key): tab names,
    buttons, labels and the mode choices all change, and switching back restores Korean."""
    from app.web.texts import TEXTS

    page.get_by_label("English").check()
    page.get_by_role("button", name=TEXTS["en"]["start"]).wait_for()
    for key in ("send", "hint", "skip", "reveal", "end"):
        assert page.get_by_role("button", name=TEXTS["en"][key], exact=True).count() == 1, key
    for key in ("tab_interview", "tab_ask", "tab_batch", "tab_progress"):
        assert page.get_by_role("tab", name=TEXTS["en"][key]).count() == 1, key
    assert page.get_by_text(TEXTS["en"]["modes"]["weakest"]).count() >= 1
    assert page.get_by_text(TEXTS["en"]["answer"]).count() >= 1
    page.screenshot(path=str(ARTIFACTS / "language-english.png"), full_page=True)
    page.get_by_label("한국어").check()
    page.get_by_role("button", name=TEXTS["ko"]["start"]).wait_for()
    page.get_by_role("tab", name=TEXTS["ko"]["tab_progress"]).wait_for()  # the tab names update with the same event
    assert page.get_by_role("tab", name=TEXTS["ko"]["tab_progress"]).count() == 1


def test_every_bank_and_all_banks_can_be_chosen_with_their_own_topics(page):
    from app.web.texts import TEXTS
    from index.banks import load_bank

    stats = load_bank("content/statistics.md")
    mains = [q for q in stats.questions if q.parent is None and q.answered]
    set_profile(page, "browser-banks")
    page.locator("#bank input").click()
    page.get_by_role("option", name=f"확률과 통계 면접 질문 ({len(mains)})", exact=True).click()
    page.locator("#topics input").click()
    page.get_by_role("option", name=mains[0].topics[0], exact=True).wait_for()  # the statistics bank's topics now
    assert page.get_by_role("option", name="활성화 함수").count() == 0  # and not deep learning's
    page.keyboard.press("Escape")
    page.click("#start")
    page.wait_for_function("document.querySelector('#chat').innerText.includes('질문 1')")
    assert "(statistics/1)" in chat_text(page)
    answer(page, "베이즈 정리는 사후 확률을 가능도와 사전 확률의 곱을 증거로 나눈 값으로 구합니다.")
    assert page.locator("#feedback details.reference").count() == 1
    assert stats.get("statistics/1").question[:12] in page.locator("#feedback details.reference").inner_text()
    options = bank_options(page)
    assert f"확률과 통계 면접 질문 ({len(mains)})" in options, options
    assert any(o.startswith("모든 은행 (") for o in options) and len(options) == 6, options  # five banks, then all of them

    page.get_by_label("English").check()
    page.get_by_role("button", name=TEXTS["en"]["start"]).wait_for()
    english = bank_options(page)
    assert f"Probability and Statistics ({len(mains)})" in english and any(o.startswith("All banks (") for o in english), english
    page.get_by_label("한국어").check()
    page.get_by_role("button", name=TEXTS["ko"]["start"]).wait_for()


def toast_with(page, fragment: str) -> str:
    toast = page.locator(".toast-body").filter(has_text=fragment).first
    toast.wait_for()
    return toast.inner_text()


def test_the_chat_carries_the_verdicts_skip_shows_the_points_and_restart_asks_first(page):
    set_profile(page, "browser-chat")
    choose_topic(page, "활성화 함수")
    count = page.locator("#count input[type=number]")
    count.fill("20")
    count.press("Enter")
    page.click("#start")
    page.wait_for_function("document.querySelector('#chat').innerText.includes('질문 1')")
    intro = chat_text(page)
    assert re.search(r"질문이 \d+개뿐이라 20개 대신 \d+개로 진행합니다", intro), intro  # not silently fewer

    answer(page, GOOD_5)
    reply = message(page, -2)  # the score reply, before the next question
    assert "✓" in reply and "○" in reply and "Tanh" in reply, reply  # the verdict on each key point, in the chat itself
    clear = page.locator("#chat").get_by_role("button", name="대화 지우기")
    assert clear.count() == 0 or not clear.first.is_visible()  # the transcript cannot be wiped by a stray click

    page.click("#retry")  # try again: the same question at once
    page.wait_for_function("document.querySelector('#chat').innerText.includes('같은 질문에 다시')")
    assert "(deep-learning/5)" in message(page)
    answer(page, WEAK)  # the second try is graded and stored like the first; the next question follows

    before = page.locator("#chat .message").count()
    page.click("#start")  # over a running interview: asks first, changes nothing
    assert "진행 중인 면접이 있습니다" in toast_with(page, "진행 중인 면접")
    assert page.locator("#chat .message").count() == before
    page.click("#start")  # the second press starts anew
    page.wait_for_function("n => document.querySelectorAll('#chat .message').length < n", arg=before)
    assert "모의 면접을 시작하겠습니다" in chat_text(page)

    page.click("#end")  # nothing answered in this one: no summary is promised
    page.wait_for_function("document.querySelector('#chat').innerText.includes('요약 없이')")
    assert not page.locator("#summary").is_visible()

    page.click("#start")  # nothing runs now: it starts at once
    page.wait_for_function("document.querySelector('#chat').innerText.includes('질문 1')")
    page.click("#skip")
    page.wait_for_function("document.querySelector('#chat').innerText.includes('건너뛰었습니다')")
    assert "핵심 포인트" in chat_text(page) and page.locator("#feedback ul.key-points li").count() >= 3


def test_a_review_with_nothing_due_is_a_korean_notice_not_an_error(page):
    set_profile(page, "browser-review-empty")
    page.get_by_text("복습 (기한 도래)").click()
    page.click("#start")
    said = toast_with(page, "복습할 질문이 없습니다")
    assert "practise" not in said and "Traceback" not in said, said
    assert "질문 1" not in chat_text(page)


def test_a_bookmark_and_a_note_stay_with_their_question_and_show_in_progress(page):
    set_profile(page, "browser-notes")
    page.click("#start")
    page.wait_for_function("document.querySelector('#chat').innerText.includes('질문 1')")
    page.locator("#bookmark input").check()
    toast_with(page, "deep-learning/1에 저장했습니다")
    note = page.locator("#note textarea, #note input").first
    note.fill("머신러닝과의 차이를 특징 추출로 설명하기")
    note.press("Tab")  # leaving the box saves it
    toast_with(page, "deep-learning/1에 저장했습니다")
    answer(page, "잘 모르겠습니다.")  # on to deep-learning/2: its own (empty) bookmark and note
    page.wait_for_function("!document.querySelector('#bookmark input').checked")
    assert page.locator("#note textarea, #note input").first.input_value() == ""
    page.reload()  # and a reload does not lose the first question's note
    page.wait_for_selector("#start")
    page.get_by_role("tab", name="진행 상황").click()
    page.wait_for_function("document.querySelector('#bookmarks')?.innerText.includes('deep-learning/1')")
    marks = page.locator("#bookmarks").inner_text()
    assert "북마크" in marks and "\n예\n" in marks and "특징 추출로 설명하기" in marks, marks


def test_the_user_overrules_a_grade_and_it_counts_is_kept_and_exported(page):
    set_profile(page, "browser-overrule")
    choose_topic(page, "활성화 함수")
    page.click("#start")
    page.wait_for_function("document.querySelector('#chat').innerText.includes('질문 1')")
    answer(page, WEAK)
    graded = int(page.locator("#feedback .feedback").get_attribute("data-score"))
    page.locator("#overrule").get_by_text("채점 바로잡기").click()  # the accordion opens
    boxes = page.locator("#overrule-points input[type=checkbox]")
    assert boxes.count() >= 3  # every key point of deep-learning/5, ticked as graded
    unticked = next(i for i in range(boxes.count()) if not boxes.nth(i).is_checked())
    boxes.nth(unticked).check()
    score = page.locator("#overrule-score input[type=number]")
    score.fill("72")
    score.press("Enter")
    page.click("#overrule-save")
    page.wait_for_function("[...document.querySelectorAll('#chat .message')].at(-1)?.innerText.includes('직접 바로잡았습니다')")
    said = message(page)
    assert f"72점 (채점기 {graded}점)" in said and "핵심 1개 판정 변경" in said, said
    page.reload()  # the correction, and the box showing it, survive a reload
    page.wait_for_function("document.querySelector('#chat')?.innerText.includes('이어서')")
    page.locator("#overrule").get_by_text("채점 바로잡기").click()
    assert page.locator("#overrule-points input[type=checkbox]").nth(unticked).is_checked()
    assert page.locator("#overrule-score input[type=number]").input_value() == "72"
    page.get_by_role("tab", name="진행 상황").click()
    page.wait_for_function("document.querySelector('#attempts')?.innerText.includes('✎')")
    row = page.locator("#attempts").inner_text()
    assert "72" in row and f"좋음 ✎ (채점기 {graded}점)" in row, row  # the band of the score that counts
    with page.expect_download() as got:
        page.click("#export-labels")
    import json

    (label,) = [json.loads(line) for line in open(got.value.path(), encoding="utf-8")]
    assert label["question_id"] == "deep-learning/5" and label["grade"] == 3.6 and str(unticked + 1) in label["covered"].split(";")
    page.screenshot(path=str(ARTIFACTS / "overrule.png"), full_page=True)


def test_ask_and_batch_errors_are_korean_notices_not_error_overlays(page, tmp_path):
    page.get_by_role("tab", name="질문하기").click()
    page.locator("#query textarea, #query input").first.fill("   ")
    page.click("#ask-btn")
    assert "질문이 비어 있습니다" in toast_with(page, "질문이 비어 있습니다")
    src = tmp_path / "no-answers.csv"
    src.write_text("id,question_id,reply\ns1,deep-learning/12,ReLU\n", encoding="utf-8")
    page.get_by_role("tab", name="일괄 채점").click()
    page.locator("#batch-file input[type=file]").set_input_files(str(src))
    page.click("#batch-run")
    said = toast_with(page, "'answer' 열이 없습니다")
    assert "no-answers.csv" not in said and "has no" not in said, said  # worded for the user, no server path
    assert page.locator(".toast-body.warning").filter(has_text="'answer' 열이 없습니다").count() >= 1  # a warning toast
    assert page.locator(".toast-body.error").count() == 0  # not the red error overlay
