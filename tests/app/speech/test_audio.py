"""Audio files in: other containers, rates and layouts are converted; what is not usable speech is one line."""

import numpy as np
import pytest

from app.core.limits import MAX_AUDIO_SECONDS
from app.speech.audio import RATE, cut_notice, load_audio
from index.errors import InterviewError
from tests.app.speech.media import read_wav, transcode, write_wav


@pytest.fixture(scope="module")
def speech(speech_dir):
    return speech_dir / "en-0.wav"


@pytest.mark.parametrize(
    "name, codec, rate, layout, container",
    [
        ("browser.webm", "libopus", 48_000, "stereo", "webm"),  # what Chromium's MediaRecorder makes
        ("phone.m4a", "aac", 8_000, "mono", "mp4"),
        ("podcast.mp3", "libmp3lame", 44_100, "mono", "mp3"),
        ("studio.flac", "flac", 96_000, "stereo", "flac"),
    ],
)
def test_containers_rates_and_stereo_become_16k_mono(tmp_path, speech, name, codec, rate, layout, container):
    src = load_audio(speech)
    a = load_audio(transcode(speech, tmp_path / name, codec, rate, layout, container))
    assert a.samples.dtype == np.float32 and a.samples.ndim == 1
    assert a.source_rate == rate and a.source_channels == (2 if layout == "stereo" else 1)
    assert abs(a.seconds - src.seconds) < 0.25  # codec padding only
    assert 0.05 < float(np.abs(a.samples).max()) <= 1.0


def test_odd_rate_stereo_wav_with_one_silent_channel_is_averaged(tmp_path, speech):
    data, rate = read_wav(speech)
    both = np.hstack([data, np.zeros_like(data)])  # speech on the left only
    a = load_audio(write_wav(tmp_path / "left.wav", both, 11_025))
    assert a.source_channels == 2 and a.source_rate == 11_025
    assert a.seconds == pytest.approx(len(data) / 11_025, abs=0.01)
    assert float(np.abs(a.samples).max()) > 0.05


def test_a_recording_past_the_limit_is_cut_with_a_notice(tmp_path):
    seconds = MAX_AUDIO_SECONDS + 60  # six minutes of a quiet tone at 8 kHz: 5.8 MB
    t = np.arange(seconds * 8000) / 8000
    path = write_wav(tmp_path / "long.wav", 3000 * np.sin(2 * np.pi * 220 * t), 8000)
    a = load_audio(path)
    assert a.cut and a.seconds == pytest.approx(MAX_AUDIO_SECONDS, abs=0.1)
    assert a.samples.size == MAX_AUDIO_SECONDS * RATE
    assert cut_notice(a) == "the recording lasts 6.0 min: only the first 5 min are transcribed"
    assert cut_notice(load_audio(path, limit=seconds + 10)) is None


def _bad(tmp_path, kind):
    p = tmp_path / f"{kind}.wav"
    if kind == "empty":
        p.write_bytes(b"")
    elif kind == "text":
        p.write_text("이건 소리가 아니라 글입니다\n" * 50, encoding="utf-8")
    elif kind == "silent":
        write_wav(p, np.zeros(16_000 * 3), 16_000)
    elif kind == "blip":
        write_wav(p, np.full(200, 5000), 16_000)
    elif kind == "truncated":
        p.write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt ")
    elif kind == "playlist":
        p = tmp_path / "list.m3u8"
        p.write_text("#EXTM3U\n#EXTINF:1,\nhttp://127.0.0.1:9/a.wav\n", encoding="utf-8")
    elif kind == "folder":
        p = tmp_path
    elif kind == "missing":
        p = tmp_path / "nope.wav"
    return p


@pytest.mark.parametrize(
    "kind, message",
    [
        ("empty", "is empty (0 bytes): record the answer again"),
        ("text", "is not an audio file FFmpeg can read"),
        ("silent", "is silent (3.0 s with no sound): check that the microphone is on"),
        ("blip", "holds 0.01 s of audio: record at least a second of speech"),
        ("truncated", "is not an audio file FFmpeg can read"),
        ("playlist", "is not an audio file FFmpeg can read"),  # FFmpeg may not follow it to the network
        ("folder", "is a directory, not an audio file"),
        ("missing", "audio file not found"),
    ],
)
def test_unusable_files_are_one_line_errors(tmp_path, kind, message):
    with pytest.raises(InterviewError) as e:
        load_audio(_bad(tmp_path, kind))
    assert message in str(e.value) and "\n" not in str(e.value)
