"""The graded reply's HTML: where a spoken answer's delivery goes, and speech errors worded in the page's language."""

from app.grading.grade import Grade, KeyPoint
from app.speech.delivery import delivery
from app.speech.transcribe import Segment, Transcript
from app.web.interview_tab import speech_error
from app.web.render import delivery_html, feedback_html
from index.errors import InterviewError


def test_the_delivery_block_sits_right_under_the_score_before_the_key_points(fake_kb):
    q = next(iter(fake_kb.questions.values()))
    g = Grade(q.id, 55, "partial", "", [KeyPoint(q.key_points[0], "covered", "It says so.")], [], [])
    tr = Transcript("음 ReLU는 음수를 0으로 만듭니다.", (Segment(0.0, 4.0, "음 ReLU는 음수를 0으로 만듭니다."),), 5.0, "ko")
    html = feedback_html(g, q, fake_kb, "ko", answer="It says so.", delivery=delivery_html(delivery(tr, 60), "ko"))
    assert html.index('class="score"') < html.index('class="delivery"') < html.index('class="covered"')
    assert 'class="delivery"' not in feedback_html(g, q, fake_kb, "ko", answer="It says so.")  # a typed answer has none


def test_speech_errors_are_worded_in_the_page_language_with_no_server_path():
    e = InterviewError("/tmp/gradio/x.wav is silent (3.0 s with no sound): check the microphone", code="silent", seconds=3.0)
    ko, en = speech_error(e, "ko"), speech_error(e, "en")
    assert "3.0초 무음" in ko and "/tmp" not in ko
    assert "3.0 s of silence" in en and "/tmp" not in en
    odd = InterviewError("the speech model file x is missing: reinstall")  # no code: the message itself, introduced
    said = speech_error(odd, "ko")
    assert said == "음성을 받아 적지 못했습니다: the speech model file x is missing: reinstall 답변 칸의 내용은 그대로입니다."
