"""Speech to text: Whisper base through faster-whisper (CTranslate2, int8 on the CPU), offline.

>>> whisper = Whisper(settings.models_dir)             # cheap: nothing is loaded yet
>>> t = whisper.transcribe(Path("answer.wav"))          # the first call joins and loads the model
>>> t.text, t.seconds, [(s.start, s.end, s.text) for s in t.segments]

The model is loaded once per process and per folder, on the first transcription, and shared by
every `Whisper` made after it (so importing this module or building the web page costs
nothing). Decoding settings and why:

- Voice activity detection on (Silero VAD, bundled with faster-whisper): silence is skipped
  before Whisper sees it, which is where Whisper invents text ("시청해 주셔서 감사합니다").
  The detector also runs once more with a finer setting (PAUSE_VAD) to give `speech`, the
  spans of speech in the recording: Whisper's own segment times run across removed silences,
  so pauses are measured from these spans.
- `condition_on_previous_text=False`: otherwise one misheard window is fed into the next, and
  Whisper starts repeating itself.
- The language is given (Korean by default): detection on a short Korean answer full of English
  terms picks English now and then. Whisper keeps the English terms it hears in Latin letters
  or writes them in Hangul; the grader's glossary reads both.
- No prompt by default: with the question as Whisper's prompt, English terms came out spelt as
  the bank spells them, but on unclear audio Whisper echoed the prompt back as the "answer".
- A segment whose text compresses better than MAX_COMPRESSION (Whisper's own test for a
  decoding loop, "로로로로…") after every fallback is dropped rather than graded.
- Temperature fallback (0, 0.4, 0.8) with a fixed seed: a window that decodes into a loop is
  decoded again, and the same audio always gives the same text.
"""

from __future__ import annotations

import os
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

from index.errors import InterviewError

from .audio import Audio, cut_notice, load_audio
from .model import model_dir

LANGUAGES = ("ko", "en", "auto")
# Greedy decoding: on the benchmark's 60 s English clip beam 5 gave the same WER (0.257) at RTF
# 0.33 against 0.23 for greedy, on 2 busy cores (scripts/bench_speech.py, README).
BEAM = 1
TEMPERATURES = (0.0, 0.4, 0.8)
MAX_COMPRESSION = 2.4
PAUSE_VAD = {"min_silence_duration_ms": 1000, "speech_pad_ms": 100}  # spans split at silences of 1 s or more
_MODELS: dict[Path, object] = {}
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Segment:
    start: float  # seconds from the start of the recording
    end: float
    text: str


@dataclass(frozen=True)
class Transcript:
    """What was said: the text, its segments with times, how long the audio was, the language."""

    text: str
    segments: tuple[Segment, ...]
    seconds: float  # the audio transcribed (after a cut at the limit)
    language: str
    notice: str | None = None  # set when the recording was cut at the limit
    speech: tuple[tuple[float, float], ...] = ()  # (start, end) of each span of speech the detector found

    def to_dict(self) -> dict:
        d = asdict(self)
        d["segments"] = [{"start": round(s.start, 2), "end": round(s.end, 2), "text": s.text} for s in self.segments]
        d["speech"] = [[round(a, 2), round(b, 2)] for a, b in self.speech]
        d["seconds"] = round(self.seconds, 2)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Transcript":
        segments = tuple(Segment(float(s["start"]), float(s["end"]), str(s["text"])) for s in d.get("segments", []))
        speech = tuple((float(a), float(b)) for a, b in d.get("speech", []))
        return cls(str(d.get("text", "")), segments, float(d.get("seconds", 0.0)), str(d.get("language", "")), d.get("notice"), speech)


def threads() -> int:
    """CPU threads for the decoder: the cores this process may use, at most four."""
    try:
        return max(1, min(4, len(os.sched_getaffinity(0))))
    except AttributeError:  # not on Linux
        return max(1, min(4, os.cpu_count() or 1))


def loaded() -> bool:
    """Whether some Whisper model is already loaded in this process."""
    return bool(_MODELS)


class Whisper:
    """The speech recognizer over the model files under `models_dir` (Settings.models_dir)."""

    def __init__(self, models_dir: Path, cpu_threads: int | None = None) -> None:
        self.models_dir = Path(models_dir)
        self.cpu_threads = cpu_threads or threads()

    def _model(self):
        """The loaded faster-whisper model, loaded (and its files joined) on first use."""
        with _LOCK:
            folder = model_dir(self.models_dir)
            key = folder.resolve()  # a linked folder (tests, a shared data root) shares the loaded model
            if key not in _MODELS:
                from faster_whisper import WhisperModel

                try:
                    model = WhisperModel(str(folder), device="cpu", compute_type="int8", cpu_threads=self.cpu_threads)
                except (RuntimeError, ValueError, OSError):  # a damaged join: build it again, once
                    folder = model_dir(self.models_dir, rejoin=True)
                    model = WhisperModel(str(folder), device="cpu", compute_type="int8", cpu_threads=self.cpu_threads)
                _MODELS[key] = model
            return _MODELS[key]

    def transcribe(self, audio: Audio | str | Path, language: str = "ko", prompt: str | None = None) -> Transcript:
        """Transcribe an audio file (or decoded Audio); InterviewError for bad audio or no speech in it."""
        if language not in LANGUAGES:
            raise InterviewError(f"unknown language '{language}': use one of {', '.join(LANGUAGES)}")
        name = "the recording"
        if not isinstance(audio, Audio):
            name = str(audio)
            audio = load_audio(audio)
        import ctranslate2

        model = self._model()
        ctranslate2.set_random_seed(0)
        pieces, info = model.transcribe(
            audio.samples,
            language=None if language == "auto" else language,
            beam_size=BEAM,
            temperature=list(TEMPERATURES),
            condition_on_previous_text=False,
            vad_filter=True,
            initial_prompt=(prompt or None),
        )
        segments = tuple(
            Segment(round(s.start, 2), round(s.end, 2), s.text.strip())
            for s in pieces
            if s.text.strip() and s.compression_ratio <= MAX_COMPRESSION
        )
        if not segments:
            raise InterviewError(
                f"no speech found in {name} ({audio.seconds:.1f} s): speak closer to the microphone, or check that it records",
                code="no_speech", seconds=audio.seconds,
            )
        text = " ".join(s.text for s in segments)
        return Transcript(text, segments, audio.seconds, info.language, cut_notice(audio), speech_spans(audio))


def speech_spans(audio: Audio) -> tuple[tuple[float, float], ...]:
    """Where in the recording someone speaks, by the voice detector at PAUSE_VAD, in seconds."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    from .audio import RATE

    spans = get_speech_timestamps(audio.samples, VadOptions(**PAUSE_VAD))
    return tuple((round(s["start"] / RATE, 2), round(s["end"] / RATE, 2)) for s in spans)
