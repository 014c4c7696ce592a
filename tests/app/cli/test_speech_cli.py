"""`interview transcribe`, `interview grade --audio` and a batch `audio` column, with the real Whisper model."""

import csv
import json

import numpy as np
import pytest

from app.cli import main
from tests.app.speech.media import write_wav
from tests.conftest import link_speech_model

pytestmark = pytest.mark.slow


@pytest.fixture
def home(data_root, speech_models):
    return link_speech_model(data_root, speech_models)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_transcribe_prints_text_and_segments_and_json(capsys, home, speech_dir):
    code, out, _ = run(capsys, "transcribe", str(speech_dir / "en-1.wav"), "--language", "en")
    assert code == 0 and "language en" in out and "[" in out and "overfitting" in out.lower()
    code, out, _ = run(capsys, "transcribe", str(speech_dir / "en-1.wav"), "--language", "en", "--json")
    d = json.loads(out)
    assert code == 0 and d["language"] == "en" and d["seconds"] > 3 and d["notice"] is None
    assert d["segments"][0].keys() == {"start", "end", "text"} and d["speech"]


def test_grade_audio_grades_the_transcript_and_shows_delivery_apart(capsys, home, speech_dir, mini_content):
    code, out, _ = run(
        capsys, "grade", "mini/2", "--audio", str(speech_dir / "en-1.wav"), "--language", "en", "--time-limit", "60",
        "--content", str(mini_content), "--encoder", "fake",
    )
    assert code == 0 and out.startswith("mini/2: ") and "/100" in out
    assert "spoken answer (delivery, not part of the score):" in out and "limit 60 s" in out and "words/min" in out
    code, out, _ = run(capsys, "grade", "mini/2", "--audio", str(speech_dir / "en-1.wav"), "--language", "en", "--json",
                       "--content", str(mini_content), "--encoder", "fake")
    d = json.loads(out)
    assert "overfitting" in d["transcript"]["text"].lower() and d["delivery"]["rate_unit"] == "words" and 0 <= d["score"] <= 100


def _empty(tmp_path):
    (tmp_path / "empty.wav").write_bytes(b"")
    return tmp_path / "empty.wav"


def _silent(tmp_path):
    return write_wav(tmp_path / "silent.wav", np.zeros(16_000 * 2), 16_000)


def _text(tmp_path):
    (tmp_path / "notes.mp3").write_text("not a recording", encoding="utf-8")
    return tmp_path / "notes.mp3"


@pytest.mark.parametrize(
    "argv, message",
    [
        (["transcribe", "{empty}"], "is empty (0 bytes): record the answer again"),
        (["transcribe", "{silent}"], "is silent (2.0 s with no sound)"),
        (["transcribe", "{text}"], "is not an audio file FFmpeg can read"),
        (["transcribe", "missing.wav"], "audio file not found: missing.wav"),
        (["grade", "mini/2", "--audio", "{silent}", "--content", "{content}", "--encoder", "fake"], "is silent"),
        (["grade", "mini/99", "--audio", "{silent}", "--content", "{content}", "--encoder", "fake"], "unknown question id 'mini/99'"),
        (["grade", "mini/2", "typed", "--audio", "{silent}", "--content", "{content}", "--encoder", "fake"], "not both"),
        (["grade", "mini/2", "--content", "{content}", "--encoder", "fake"], "or a recording with --audio FILE"),
        (["grade", "mini/2", "typed", "--time-limit", "60", "--content", "{content}", "--encoder", "fake"], "--time-limit needs --audio"),
    ],
)
def test_bad_recordings_are_one_line_errors(capsys, home, tmp_path, mini_content, argv, message):
    files = {"empty": _empty(tmp_path), "silent": _silent(tmp_path), "text": _text(tmp_path), "content": mini_content}
    code, _, err = run(capsys, *[a.format(**files) for a in argv])
    assert code == 1 and message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_batch_audio_column_transcribes_recordings_beside_the_file(capsys, home, speech_dir, mini_content, tmp_path):
    folder = tmp_path / "cohort"
    (folder / "rec").mkdir(parents=True)
    (folder / "rec" / "kim.wav").write_bytes((speech_dir / "en-1.wav").read_bytes())
    _silent(folder / "rec").rename(folder / "rec" / "lee.wav")
    src = folder / "answers.csv"
    with open(src, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "question_id", "answer", "audio"])
        w.writerow(["kim", "mini/2", "", "rec/kim.wav"])  # the path is relative to answers.csv, not to the working folder
        w.writerow(["lee", "mini/2", "", "rec/lee.wav"])
        w.writerow(["park", "mini/2", "GPUs run many operations in parallel.", "rec/missing.wav"])  # typed text wins
        w.writerow(["choi", "mini/2", "", "rec/missing.wav"])
    out = tmp_path / "graded.jsonl"
    code, _, _ = run(capsys, "batch", str(src), "-o", str(out), "--language", "en", "--content", str(mini_content), "--encoder", "fake")
    rows = {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert code == 0
    assert rows["kim"]["score"] is not None and "overfitting" in rows["kim"]["transcript"].lower() and rows["kim"]["audio_seconds"] > 3
    assert rows["lee"]["error"].startswith("audio 'rec/lee.wav': ") and "is silent" in rows["lee"]["error"]
    assert rows["park"]["score"] is not None and "transcript" not in rows["park"]
    assert "audio file not found" in rows["choi"]["error"]


def test_the_web_batch_refuses_recordings(tmp_path, mini_content):
    from app.batch.audio import NOT_HERE
    from app.batch.run import run_batch
    from app.core.settings import Settings

    src = tmp_path / "up.csv"
    src.write_text("id,question_id,answer,audio\nx,mini/2,,/etc/hostname\n", encoding="utf-8")
    s = run_batch(Settings(home=tmp_path / "h", content=mini_content, encoder="fake"), src, tmp_path / "o.jsonl", audio=False,
                  progress_stream=None)
    assert s.results[0].error == NOT_HERE
