"""Spoken, timed answers in a real browser: Chromium's microphone fed from a WAV file made by
espeak-ng, the real Whisper model on the server, the countdown run by the page's script."""

import os
import re
import shutil

import pytest

from tests.app.speech.media import espeak, read_wav, write_wav
from tests.app.web.conftest import open_page
from tests.conftest import ARGS, CHROMIUM, link_speech_model

pytestmark = pytest.mark.slow

SPOKEN = "The ReLU activation keeps positive values and sets negative values to zero. The sigmoid function saturates."
HEARD = ("relu", "activation", "positive", "negative", "zero", "sigmoid", "saturate")


@pytest.fixture(scope="module")
def mic_wav(tmp_path_factory):
    """The microphone's sound: the spoken sentence, then a second of silence (Chromium loops it)."""
    import numpy as np

    if not shutil.which("espeak-ng"):
        if os.environ.get("CI"):
            pytest.fail("espeak-ng is missing: apt-get install espeak-ng")
        pytest.skip("espeak-ng is missing")
    folder = tmp_path_factory.mktemp("mic")
    samples, rate = read_wav(espeak(SPOKEN, folder / "said.wav", voice="en-us"))
    return write_wav(folder / "mic.wav", np.concatenate([samples, np.zeros((rate, samples.shape[1]), dtype=samples.dtype)]), rate)


@pytest.fixture(scope="module")
def mic_browser(playwright_driver, mic_wav):
    """A second Chromium, whose microphone plays `mic_wav`."""
    mic = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", f"--use-file-for-fake-audio-capture={mic_wav}"]
    browser = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=ARGS + mic)
    yield browser
    browser.close()


@pytest.fixture
def voice_page(mic_browser, server, real_home, speech_models, request):
    link_speech_model(real_home, speech_models)  # the server finds the session's joined model
    # The timeout allows for a transcription on a busy 2-core machine.
    options = dict(locale="en-US", height=1500, timeout=180_000, permissions=["microphone"])
    with open_page(mic_browser, server, request.node.name, **options) as page:
        page.locator("#lang").get_by_text("English").click()
        page.wait_for_function("document.querySelector('#start').innerText.includes('Start')")
        yield page


def set_profile(page, name):
    box = page.locator("#profile input, #profile textarea").first
    box.fill(name)
    box.press("Tab")


def start(page, limit_label: str, count: int):
    page.locator("#time-limit input").click()
    page.get_by_role("option", name=limit_label, exact=True).click()
    page.keyboard.press("Escape")
    slider = page.locator("#count input[type=number]")
    slider.fill(str(count))
    slider.press("Enter")
    page.click("#start")
    page.wait_for_function("document.querySelector('#chat').innerText.includes('Question 1')")


def record(page):
    page.locator("#mic button.record-button").first.click()
    page.locator("#mic button.stop-button").first.wait_for(state="visible")


def answer_box(page) -> str:
    return page.locator("#answer textarea").input_value()


def heard(text: str) -> int:
    return sum(w in text.lower() for w in HEARD)


def test_a_spoken_answer_is_transcribed_into_the_box_then_graded_with_its_delivery(voice_page):
    page = voice_page
    set_profile(page, "browser-voice")
    page.locator("#tts input").check()
    start(page, "none", 1)
    # Read aloud: a Korean voice speaks the question, or the page says the system has none.
    page.wait_for_function("document.querySelector('#clock .clock').dataset.voice")
    voice = page.locator("#clock .clock").get_attribute("data-voice")
    if voice == "none":
        assert "no Korean voice" in page.locator("#clock .voice").inner_text()
    else:
        assert voice.lower().startswith("ko")
    assert page.locator("#clock .left").inner_text() == ""  # untimed: no countdown

    page.locator("#answer textarea").fill("Typed first.")
    record(page)
    page.wait_for_timeout(9_000)  # the sentence, at least once
    page.locator("#mic button.stop-button").first.click()
    page.wait_for_function("document.querySelector('#answer textarea').value.length > 'Typed first.'.length + 20")
    text = answer_box(page)
    assert text.startswith("Typed first.\n"), text  # what was typed stays; the transcript comes after it
    assert heard(text) >= 4, text

    page.locator("#answer textarea").press("Enter")
    page.wait_for_selector("#feedback .delivery")
    delivery = page.locator("#feedback .delivery").inner_text()
    assert "kept apart from the content score" in delivery and re.search(r"rate \d+ words/min", delivery), delivery
    assert int(page.locator("#feedback .feedback").get_attribute("data-score")) >= 0
    chat = page.locator("#chat").inner_text()
    assert "🎤" in chat and re.search(r"answered in \d+:\d\d", chat), chat


def test_the_countdown_stops_a_recording_sends_it_and_times_out_an_empty_answer(voice_page):
    page = voice_page
    set_profile(page, "browser-timed")
    start(page, "30 s", 2)
    page.wait_for_function("/Time left 0:[0-3]\\d/.test(document.querySelector('#clock').innerText)")
    record(page)  # and never stopped: the countdown stops it at 0:00
    page.wait_for_selector("#feedback .delivery", timeout=240_000)
    chat = page.locator("#chat").inner_text()
    took = re.search(r"answered in (\d+):(\d\d)", chat)
    assert took and 25 <= 60 * int(took.group(1)) + int(took.group(2)) <= 40, chat

    # The second question: nothing said or typed, so the countdown records it as timed out.
    page.wait_for_function("document.querySelector('#chat').innerText.includes('Time is up with nothing answered')", timeout=120_000)
    page.wait_for_selector("#summary")
    summary = page.locator("#summary").inner_text()
    assert "timed out" in summary and "🎤" in summary, summary

    page.get_by_role("tab", name="Progress").click()
    page.wait_for_function("document.querySelector('#attempts').innerText.includes('timed out')")
    attempts = page.locator("#attempts").inner_text()
    assert "🎤" in attempts and re.search(r"0:[23]\d", attempts), attempts


@pytest.fixture(scope="module")
def silent_browser(playwright_driver, tmp_path_factory):
    """A Chromium whose microphone records nothing but silence (a muted or unplugged microphone)."""
    import numpy as np

    wav = write_wav(tmp_path_factory.mktemp("silent") / "silent.wav", np.zeros((16_000 * 4, 1), dtype=np.int16), 16_000)
    mic = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", f"--use-file-for-fake-audio-capture={wav}"]
    browser = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=ARGS + mic)
    yield browser
    browser.close()


def test_a_silent_recording_warns_in_korean_and_keeps_the_typed_answer(silent_browser, server, real_home, speech_models, request):
    link_speech_model(real_home, speech_models)
    options = dict(height=1500, timeout=180_000, permissions=["microphone"])
    with open_page(silent_browser, server, request.node.name, **options) as page:  # the Korean page
        set_profile(page, "browser-silent")
        page.click("#start")
        page.wait_for_function("document.querySelector('#chat').innerText.includes('질문 1')")
        page.locator("#answer textarea").fill("먼저 쓴 답변입니다.")
        record(page)
        page.wait_for_timeout(3_000)
        page.locator("#mic button.stop-button").first.click()
        toast = page.locator(".toast-body").filter(has_text="다시")
        toast.first.wait_for(timeout=180_000)
        said = toast.first.inner_text()
        assert "소리가 없습니다" in said or "말소리를 찾지 못했습니다" in said, said
        assert "답변 칸의 내용은 그대로입니다" in said and "/tmp" not in said, said  # worded for the user, no server path
        assert answer_box(page) == "먼저 쓴 답변입니다."  # nothing typed is lost
        assert "점" not in page.locator("#feedback").inner_text()  # and nothing was graded


def test_a_file_that_is_not_audio_sent_to_the_recording_api_gets_a_worded_warning(server, real_home, speech_models, tmp_path):
    from gradio_client import Client, handle_file

    link_speech_model(real_home, speech_models)
    fake = tmp_path / "answer.wav"
    fake.write_text("this is a text file, not a recording", encoding="utf-8")
    client = Client(server, verbose=False)
    # The State input and output are the server's; the reply is (answer box, microphone).
    box, mic = client.submit(handle_file(str(fake)), "타이핑한 답", "ko", api_name="/on_recording").result(timeout=180)
    assert box == {"__type__": "update"}, box  # the answer box is left as it is: not overwritten, not emptied
    assert mic is None  # the bad recording is cleared, so the next one can be made (the warning's wording: test_render)
