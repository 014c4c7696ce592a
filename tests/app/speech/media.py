"""Test audio: speech synthesised by espeak-ng, and the same speech in other containers, rates and layouts."""

from __future__ import annotations

import shutil
import subprocess
import wave
from pathlib import Path

import numpy as np

ESPEAK = "espeak-ng"


def espeak(text: str, path: Path, voice: str = "ko", speed: int = 150) -> Path:
    """Speak `text` into a WAV file (22,050 Hz mono) with Debian's espeak-ng."""
    subprocess.run([shutil.which(ESPEAK) or ESPEAK, "-v", voice, "-s", str(speed), "-w", str(path), text], check=True)
    return path


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    """16-bit PCM samples (frames x channels) and the rate of a WAV file."""
    with wave.open(str(path), "rb") as w:
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").reshape(-1, w.getnchannels())
        return data, w.getframerate()


def write_wav(path: Path, samples: np.ndarray, rate: int) -> Path:
    """Write 16-bit PCM (frames x channels, or one channel as a flat array)."""
    data = np.asarray(samples)
    data = data.reshape(-1, 1) if data.ndim == 1 else data
    with wave.open(str(path), "wb") as w:
        w.setnchannels(data.shape[1])
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(np.clip(data, -32768, 32767).astype("<i2").tobytes())
    return path


def transcode(src: Path, dst: Path, codec: str, rate: int, layout: str = "mono", container: str | None = None) -> Path:
    """Re-encode an audio file with PyAV (for example to Opus in WebM at 48 kHz stereo, as a browser records)."""
    import av

    with av.open(str(src)) as inp, av.open(str(dst), "w", format=container) as out:
        stream = out.add_stream(codec, rate=rate, layout=layout)
        resampler = av.AudioResampler(format=stream.codec_context.format.name, layout=layout, rate=rate,
                                      frame_size=stream.codec_context.frame_size or None)
        frames = [f for frame in inp.decode(audio=0) for f in resampler.resample(frame)] + resampler.resample(None)
        for frame in frames:
            frame.pts = None
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return dst
