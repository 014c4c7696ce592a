"""How an answer was spoken, kept apart from what it says: rate, filler words, long pauses, length.

>>> d = delivery(transcript, time_limit=120)
>>> d.rate, d.rate_unit, d.fillers, d.long_pauses, d.over_limit

Nothing here changes the content grade; the web page and the CLI show it beside the grade.

What is typical, and where the bands come from (they are coaching bands chosen by this
project, not norms measured here):

- Rate. Korean speech rate is counted in syllables (one Hangul block is one syllable); Lee,
  Shin, Yoo & Kim, "Speech rate in Korean across region, gender and generation" (Phonetics and
  Speech Sciences 9(1), 2017) measure it as syllables per second over 412 speakers of the Korean
  Standard Speech Database, pauses included ("speaking rate") and excluded ("articulation
  rate"); Kim, Kim & Yoo (JSLHD 30(3), 2021) measure TV news announcers, who read faster than
  people talk. This module reports the speaking rate: syllables from the first word to the last,
  pauses included, per minute. Band: 240-400 syllables a minute (4-6.7 a second) reads as
  comfortable; below it sounds hesitant, above it hurried. English is counted in words:
  the National Center for Voice and Speech gives about 150 words a minute for American English
  conversation; band 110-170.
- Filler words: 음, 어, 그, 약간, 뭔가, 이제, 막, 좀 ... (um, uh, like in English). Whisper tends to
  leave hesitations out of its transcript, so the count is a lower bound; and 그, 이제, 좀 are
  also ordinary words ("그 모델", "이제부터"), counted only when they stand alone as a word.
- Long pauses: a silence of LONG_PAUSE seconds or more between two spans of speech found by the
  voice detector (Transcript.speech; the gaps between Whisper's segments when there are none).
- Length: interview advice commonly puts one answer at one to two minutes; against a time
  limit, an answer over it, or under a quarter of it, is pointed out.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from .transcribe import Segment, Transcript

LONG_PAUSE = 2.0  # seconds between segments
SLOW_START = 5.0  # seconds of silence before the first word
FILLERS_KO = ("음", "어", "그", "약간", "뭔가", "이제", "막", "좀", "뭐랄까", "그러니까", "아", "에", "저기", "음음", "어어")
FILLERS_EN = ("um", "uh", "er", "erm", "hmm", "like")
BANDS = {"syllables": (240, 400), "words": (110, 170)}  # comfortable speaking rate per minute
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_LATIN_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
_VOWELS = re.compile(r"[aeiouy]+", re.I)
_TOKEN = re.compile(r"[^\s.,!?;:()\"'“”‘’…~-]+")


@dataclass(frozen=True)
class Pause:
    start: float
    seconds: float


@dataclass(frozen=True)
class Delivery:
    """Delivery measures of one spoken answer (one or more recordings)."""

    seconds: float  # the recordings' total length
    speaking_seconds: float  # first word to last word, pauses included
    units: int  # syllables (Korean) or words (English)
    rate: float  # units per minute of speaking
    rate_unit: str  # "syllables" or "words"
    pace: str  # "slow", "comfortable", "fast", or "" when too little was said to tell
    fillers: dict[str, int]
    long_pauses: tuple[Pause, ...]
    first_word_at: float
    time_limit: float | None = None
    over_limit: float = 0.0  # seconds past the limit
    short: bool = False  # under a quarter of the time limit

    @property
    def filler_count(self) -> int:
        return sum(self.fillers.values())

    def to_dict(self) -> dict:
        d = asdict(self)
        d["long_pauses"] = [{"start": round(p.start, 1), "seconds": round(p.seconds, 1)} for p in self.long_pauses]
        for k in ("seconds", "speaking_seconds", "rate", "first_word_at", "over_limit"):
            d[k] = round(d[k], 1)
        d["filler_count"] = self.filler_count
        return d


def combine(transcripts: list[Transcript]) -> Transcript:
    """One transcript of several recordings of the same answer, each one's times shifted after the last."""
    if len(transcripts) == 1:
        return transcripts[0]
    segments, speech, offset = [], [], 0.0
    for t in transcripts:
        segments += [Segment(s.start + offset, s.end + offset, s.text) for s in t.segments]
        speech += [(a + offset, b + offset) for a, b in t.speech]
        offset += t.seconds
    notice = next((t.notice for t in transcripts if t.notice), None)
    language = transcripts[0].language if transcripts else ""
    return Transcript(" ".join(t.text for t in transcripts), tuple(segments), offset, language, notice, tuple(speech))


def count_units(text: str, unit: str) -> int:
    """Hangul syllables plus the vowel groups of Latin words (syllables), or the words (words)."""
    if unit == "words":
        return len(_LATIN_WORD.findall(text)) + len(re.findall(r"[\uac00-\ud7a3]+", text))
    latin = sum(max(1, len(_VOWELS.findall(w))) for w in _LATIN_WORD.findall(text))
    return len(_HANGUL.findall(text)) + latin


def fillers(text: str, language: str) -> dict[str, int]:
    """Filler words that stand alone as a token, with their counts (most frequent first)."""
    words = FILLERS_EN if language == "en" else FILLERS_KO
    found: dict[str, int] = {}
    for token in _TOKEN.findall(text.lower()):
        if token in words:
            found[token] = found.get(token, 0) + 1
    return dict(sorted(found.items(), key=lambda kv: -kv[1]))


def _pace(rate: float, unit: str, units: int) -> str:
    if units < 10:
        return ""
    slow, fast = BANDS[unit]
    return "slow" if rate < slow else "fast" if rate > fast else "comfortable"


def delivery(transcript: Transcript, time_limit: float | None = None) -> Delivery:
    """Measure a transcript's delivery; `time_limit` in seconds (None: no limit)."""
    spans = list(transcript.speech) or [(s.start, s.end) for s in transcript.segments]
    unit = "words" if transcript.language == "en" else "syllables"
    units = count_units(transcript.text, unit)
    first = spans[0][0] if spans else 0.0
    speaking = max(spans[-1][1] - first, 0.0) if spans else 0.0
    rate = units / (speaking / 60) if speaking > 0 else 0.0
    pauses = tuple(Pause(a[1], b[0] - a[1]) for a, b in zip(spans, spans[1:]) if b[0] - a[1] >= LONG_PAUSE)
    over = max(transcript.seconds - time_limit, 0.0) if time_limit else 0.0
    short = bool(time_limit) and transcript.seconds < time_limit / 4
    return Delivery(
        seconds=transcript.seconds,
        speaking_seconds=speaking,
        units=units,
        rate=rate,
        rate_unit=unit,
        pace=_pace(rate, unit, units),
        fillers=fillers(transcript.text, transcript.language),
        long_pauses=pauses,
        first_word_at=first,
        time_limit=time_limit,
        over_limit=over,
        short=short,
    )


def summary_lines(d: Delivery) -> list[str]:
    """The delivery as short English lines (the CLI's; the web page words them in its language)."""
    low, high = BANDS[d.rate_unit]
    lines = [f"length {d.seconds:.0f} s" + (f" (limit {d.time_limit:.0f} s)" if d.time_limit else "")]
    if d.pace:
        lines.append(f"rate {d.rate:.0f} {d.rate_unit}/min: {d.pace} (comfortable is {low}-{high})")
    if d.fillers:
        lines.append(f"filler words {d.filler_count}: " + ", ".join(f"{w} ×{n}" for w, n in d.fillers.items()))
    if d.long_pauses:
        lines.append(f"long pauses {len(d.long_pauses)}: " + ", ".join(f"{p.seconds:.1f} s at {p.start:.0f} s" for p in d.long_pauses))
    if d.first_word_at >= SLOW_START:
        lines.append(f"first word after {d.first_word_at:.1f} s")
    if d.over_limit:
        lines.append(f"over the time limit by {d.over_limit:.0f} s")
    elif d.short:
        lines.append("under a quarter of the time limit: say more")
    return lines
