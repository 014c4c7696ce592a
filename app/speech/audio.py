"""Audio files in, 16 kHz mono float32 samples out, with one-line errors for what is not usable speech.

>>> a = load_audio(Path("answer.webm"))        # WAV, MP3, OGG/Opus, WebM, M4A, FLAC: what FFmpeg reads
>>> a.samples.shape, a.seconds, a.cut

Decoding goes through PyAV (FFmpeg's libraries, installed with faster-whisper). Any sample rate
and any number of channels are converted (channels are averaged) to what Whisper expects. A
recording longer than MAX_AUDIO_SECONDS is cut there, decoding stops at the limit, and `cut`
says so, with the full length in `source_seconds` when the file states it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.errors import InterviewError

from ..core.limits import MAX_AUDIO_SECONDS

# FFmpeg may open only the named file (no network, no playlist that points elsewhere) and only
# with the demuxers of ordinary recordings.
OPEN_OPTIONS = {
    "protocol_whitelist": "file",
    "format_whitelist": "wav,w64,mp3,ogg,matroska,webm,mov,mp4,m4a,3gp,flac,aac,aiff,caf,amr",
}
RATE = 16_000  # what Whisper and its voice activity detector take
SILENT_PEAK = 1e-3  # -60 dBFS: below this everywhere, a file holds no sound a microphone picked up


@dataclass(frozen=True)
class Audio:
    """Decoded audio: mono samples at RATE, how long they last, and what the file was."""

    samples: np.ndarray
    source_rate: int
    source_channels: int
    cut: bool = False
    source_seconds: float | None = None  # the file's own length, when it states one

    @property
    def seconds(self) -> float:
        return len(self.samples) / RATE


def _decode(path: Path, limit: float) -> Audio:
    import av

    try:
        container = av.open(str(path), options=OPEN_OPTIONS)
    except av.error.FileNotFoundError:
        raise InterviewError(f"audio file not found: {path}: check the path") from None
    except av.error.IsADirectoryError:
        raise InterviewError(f"{path} is a directory, not an audio file: name a file", code="not_audio") from None
    except av.error.PermissionError:
        raise InterviewError(f"cannot read audio file {path}: permission denied") from None
    except av.error.FFmpegError:
        raise InterviewError(
            f"{path} is not an audio file FFmpeg can read: record or export it as WAV, MP3, OGG or WebM", code="not_audio"
        ) from None
    with container:
        stream = next((s for s in container.streams if s.type == "audio"), None)
        if stream is None:
            raise InterviewError(f"{path} has no audio track: give a recording of the answer (WAV, MP3, OGG or WebM)", code="not_audio")
        known = container.duration / 1_000_000 if container.duration else None
        resampler = av.AudioResampler(format="flt", layout="mono", rate=RATE)
        chunks, total, cut, max_samples = [], 0, False, int(limit * RATE)
        try:
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    chunks.append(out.to_ndarray().reshape(-1))
                    total += chunks[-1].size
                if total >= max_samples:
                    cut = True
                    break
            if not cut:
                for out in resampler.resample(None):
                    chunks.append(out.to_ndarray().reshape(-1))
        except av.error.FFmpegError:  # a damaged or truncated file: keep what decoded, if anything
            if not chunks:
                raise InterviewError(f"{path} could not be decoded as audio: record or export it again", code="not_audio") from None
        rate, channels = stream.rate or 0, stream.channels or 0
    samples = np.concatenate(chunks).astype(np.float32, copy=False) if chunks else np.zeros(0, np.float32)
    if cut:
        samples = samples[:max_samples]
    return Audio(samples, rate, channels, cut, known)


def load_audio(path: str | Path, limit: float = MAX_AUDIO_SECONDS) -> Audio:
    """Decode an audio file; InterviewError for a missing, empty, unreadable or silent file."""
    p = Path(path)
    if p.is_file() and p.stat().st_size == 0:
        raise InterviewError(f"audio file {p} is empty (0 bytes): record the answer again", code="empty")
    audio = _decode(p, limit)
    if audio.samples.size < RATE // 10:
        raise InterviewError(f"{p} holds {audio.seconds:.2f} s of audio: record at least a second of speech", code="too_short")
    peak = float(np.max(np.abs(audio.samples)))
    if not np.isfinite(peak) or peak < SILENT_PEAK:
        raise InterviewError(
            f"{p} is silent ({audio.seconds:.1f} s with no sound): check that the microphone is on and record again",
            code="silent", seconds=audio.seconds,
        )
    return audio


def cut_notice(audio: Audio, limit: float = MAX_AUDIO_SECONDS) -> str | None:
    """A one-line notice when the recording was cut at the limit, else None."""
    if not audio.cut:
        return None
    whole = f"{audio.source_seconds / 60:.1f} min" if audio.source_seconds else f"more than {limit / 60:.0f} min"
    return f"the recording lasts {whole}: only the first {limit / 60:.0f} min are transcribed"
