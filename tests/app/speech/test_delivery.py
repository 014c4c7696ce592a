"""Delivery measures on transcripts written by hand: rate, filler words, pauses, length against a limit."""

import pytest

from app.speech.delivery import LONG_PAUSE, combine, count_units, delivery, fillers, summary_lines
from app.speech.transcribe import Segment, Transcript


def transcript(*segments, seconds=None, language="ko"):
    segs = tuple(Segment(a, b, text) for a, b, text in segments)
    return Transcript(" ".join(s.text for s in segs), segs, seconds if seconds is not None else segs[-1].end, language)


def test_korean_rate_is_hangul_syllables_per_minute_of_speaking():
    # 23 syllables (5+2+3+2+4+2+5) from 1 s to 6 s: 23 / (5/60) = 276 a minute.
    t = transcript((1.0, 6.0, "드롭아웃은 뉴런 일부를 꺼서 과적합을 막는 규제입니다"), seconds=7.0)
    d = delivery(t)
    assert d.units == 23 and d.rate == pytest.approx(276.0) and d.rate_unit == "syllables"
    assert d.speaking_seconds == pytest.approx(5.0) and d.first_word_at == 1.0 and d.pace == "comfortable"


def test_english_terms_in_korean_count_their_vowel_groups_and_english_counts_words():
    assert count_units("렐루 ReLU", "syllables") == 2 + 2  # Re-LU
    assert count_units("batch normalization helps", "words") == 3
    d = delivery(transcript((0.0, 30.0, " ".join(["word"] * 100)), language="en"))
    assert d.rate_unit == "words" and d.rate == pytest.approx(200.0) and d.pace == "fast"


def test_filler_words_count_only_when_they_stand_alone():
    text = "음, 그러니까 그 모델은 약간... 어 이제 그 뭔가 그래디언트가 이제부터 커집니다. 음"
    assert fillers(text, "ko") == {"음": 2, "그": 2, "그러니까": 1, "약간": 1, "어": 1, "이제": 1, "뭔가": 1}
    assert "이제부터" not in fillers(text, "ko")
    assert fillers("Um, so, uh, like I said", "en") == {"um": 1, "uh": 1, "like": 1}


def test_long_pauses_come_from_the_gaps_between_segments():
    t = transcript((0.0, 3.0, "첫 문장입니다"), (3.5, 6.0, "둘째"), (6.0 + LONG_PAUSE + 1.5, 12.0, "한참 뒤"))
    d = delivery(t)
    assert [(p.start, round(p.seconds, 1)) for p in d.long_pauses] == [(6.0, LONG_PAUSE + 1.5)]
    assert any("long pauses 1" in line for line in summary_lines(d))


def test_length_against_the_time_limit():
    over = delivery(transcript((0.0, 130.0, "가" * 600), seconds=135.0), time_limit=120)
    assert over.over_limit == pytest.approx(15.0) and not over.short
    assert "over the time limit by 15 s" in summary_lines(over)
    short = delivery(transcript((0.0, 20.0, "가" * 80)), time_limit=120)
    assert short.short and short.over_limit == 0
    assert delivery(transcript((0.0, 60.0, "가" * 300))).over_limit == 0  # no limit, nothing over it


def test_too_little_speech_has_no_pace_and_a_slow_start_is_said():
    d = delivery(transcript((6.0, 7.0, "네")))
    assert d.pace == "" and not any(line.startswith("rate") for line in summary_lines(d))
    assert "first word after 6.0 s" in summary_lines(d)


def test_two_recordings_of_one_answer_are_one_timeline():
    a = transcript((0.5, 4.0, "첫 녹음"), seconds=5.0)
    b = transcript((1.0, 3.0, "둘째 녹음"), seconds=4.0)
    both = combine([a, b])
    assert both.seconds == 9.0 and both.text == "첫 녹음 둘째 녹음"
    assert [(s.start, s.end) for s in both.segments] == [(0.5, 4.0), (6.0, 8.0)]
    assert delivery(both).to_dict()["seconds"] == 9.0


def test_to_dict_is_plain_json():
    import json

    d = delivery(transcript((0.0, 10.0, "음 배치 정규화는 평균과 분산으로 정규화합니다")), time_limit=60)
    back = json.loads(json.dumps(d.to_dict(), ensure_ascii=False))
    assert back["filler_count"] == 1 and back["time_limit"] == 60 and back["rate_unit"] == "syllables"


def test_pauses_and_speaking_time_come_from_the_detected_speech_when_there_is_some():
    segs = (Segment(0.0, 9.5, "앞 문장입니다"), Segment(9.5, 14.5, "뒤 문장입니다"))  # Whisper's times run over the silence
    t = Transcript("앞 문장입니다 뒤 문장입니다", segs, 15.0, "ko", speech=((0.4, 4.2), (9.1, 14.0)))
    d = delivery(t)
    assert [(p.start, round(p.seconds, 1)) for p in d.long_pauses] == [(4.2, 4.9)]
    assert d.first_word_at == 0.4 and d.speaking_seconds == pytest.approx(13.6)
    assert combine([t, t]).speech[2] == (15.4, 19.2)
