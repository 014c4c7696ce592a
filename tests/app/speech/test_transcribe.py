"""The real Whisper base model on speech made here by espeak-ng: error rates with honest bounds, timings, bad input.

espeak-ng's English is a robotic but clear voice; its Korean voice is barely intelligible to
Whisper base (people find it hard too), so the Korean bound below only shows that Korean audio
goes through the Korean path, not how well real Korean speech is recognised (README: "Voice answers").
"""

import re
import subprocess
import sys

import numpy as np
import pytest

from app.speech.delivery import LONG_PAUSE, delivery
from eval.speech import corpus_error_rate, error_rate
from index.errors import InterviewError
from tests.app.speech.media import read_wav, transcode, write_wav
from tests.app.speech.sentences import ENGLISH, KOREAN
from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def squash(text: str) -> str:
    """Letters and digits only, lower-cased: how a word is split or punctuated does not count."""
    return re.sub(r"[\W_]+", "", text.lower())
ENGLISH_WER = 0.35  # measured 0.257 over the six sentences (docs: README, "Voice answers")
# Measured 1.05 (greedy; 1.16 with beam 5); a bound above 1 says nothing about accuracy: it catches a decoding loop
# ("로로로…" for hundreds of characters) getting through, which gave 1.68 before segments that
# compress too well were dropped.
KOREAN_CER = 1.3


def test_english_word_error_rate(whisper, speech_dir):
    pairs = [(ref, whisper.transcribe(speech_dir / f"en-{i}.wav", language="en").text) for i, ref in enumerate(ENGLISH)]
    wer = corpus_error_rate(pairs, "word")
    print(f"\nEnglish WER (espeak-ng en-us, Whisper base int8): {wer:.3f}")
    assert wer <= ENGLISH_WER, pairs
    # Whisper writes a compound one way or the other from run to run ("hyper parameters", "drop out").
    assert "overfitting" in squash(pairs[1][1]) and "hyperparameters" in squash(pairs[4][1])


def test_korean_goes_through_the_korean_path(whisper, speech_dir):
    pairs = []
    for i, ref in enumerate(KOREAN):
        try:
            t = whisper.transcribe(speech_dir / f"ko-{i}.wav")
        except InterviewError as e:  # Whisper heard no speech in the robot voice: counts as all deleted
            assert "no speech found" in str(e)
            pairs.append((ref, ""))
            continue
        assert t.language == "ko"
        pairs.append((ref, t.text))
    cer = corpus_error_rate(pairs, "char")
    print(f"\nKorean CER (espeak-ng ko, Whisper base int8): {cer:.3f}")
    assert sum(any("\uac00" <= c <= "\ud7a3" for c in h) for _, h in pairs) >= 3  # Hangul comes out, from most files
    assert cer <= KOREAN_CER, pairs


def test_segments_are_timed_inside_the_recording_and_the_result_repeats(whisper, speech_dir):
    t = whisper.transcribe(speech_dir / "en-3.wav", language="en")
    assert t.segments and all(0 <= s.start < s.end <= t.seconds + 0.1 for s in t.segments)
    assert [s.start for s in t.segments] == sorted(s.start for s in t.segments)
    assert t.text == " ".join(s.text for s in t.segments) and t.language == "en" and t.notice is None
    assert whisper.transcribe(speech_dir / "en-3.wav", language="en") == t  # fixed seed: same audio, same text


def test_a_browser_recording_in_webm_stereo_reads_the_same(whisper, speech_dir, tmp_path):
    webm = transcode(speech_dir / "en-1.wav", tmp_path / "rec.webm", "libopus", 48_000, "stereo", "webm")
    a = whisper.transcribe(speech_dir / "en-1.wav", language="en").text
    b = whisper.transcribe(webm, language="en").text
    assert error_rate(squash(a), squash(b), "char") <= 0.1, (a, b)  # "Drop out ... training" vs "Dropout ... trading": 0.03


def test_a_long_silence_between_sentences_is_a_long_pause(whisper, speech_dir, tmp_path):
    first, rate = read_wav(speech_dir / "en-0.wav")
    second, _ = read_wav(speech_dir / "en-4.wav")
    gap = np.zeros((int(rate * 5), 1), dtype=first.dtype)
    path = write_wav(tmp_path / "pause.wav", np.vstack([first, gap, second]), rate)
    t = whisper.transcribe(path, language="en")
    d = delivery(t)
    assert len(d.long_pauses) == 1, t.speech
    assert d.long_pauses[0].seconds == pytest.approx(5.0, abs=0.5) and d.long_pauses[0].seconds >= LONG_PAUSE
    assert "parameters" in t.text.lower() and t.speech[0][0] < 0.5


def test_noise_without_speech_and_a_recording_cut_at_the_limit(whisper, speech_dir, tmp_path):
    rng = np.random.default_rng(0)
    noise = write_wav(tmp_path / "hiss.wav", rng.normal(0, 300, 16_000 * 8), 16_000)  # a quiet room, nobody speaking
    with pytest.raises(InterviewError, match=r"no speech found in .*hiss.wav \(8.0 s\)"):
        whisper.transcribe(noise, language="en")
    words, rate = read_wav(speech_dir / "en-2.wav")
    long = np.vstack([words, np.zeros((rate * 330, 1), dtype=words.dtype)])  # 5.5 minutes, mostly silence
    t = whisper.transcribe(write_wav(tmp_path / "long.wav", long, rate), language="en")
    assert t.notice and "only the first 5 min" in t.notice and t.seconds == pytest.approx(300, abs=0.1)
    assert "zero" in t.text.lower()


def test_an_unknown_language_is_refused_before_anything_loads(whisper, speech_dir):
    with pytest.raises(InterviewError, match="unknown language 'fr': use one of ko, en, auto"):
        whisper.transcribe(speech_dir / "en-0.wav", language="fr")


def test_importing_and_making_a_recognizer_loads_no_model(tmp_path):
    code = (
        "import sys; from pathlib import Path; from app.speech.transcribe import Whisper, loaded; import app.speech.delivery; "
        f"Whisper(Path({str(tmp_path)!r})); "
        "print(loaded(), any(m in sys.modules for m in ('faster_whisper', 'ctranslate2', 'av', 'onnxruntime')))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
    assert not (tmp_path / "whisper-base").exists()  # nothing joined either
