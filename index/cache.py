"""A persistent embedding cache keyed by (encoder, mode, text), so unchanged text is never re-embedded."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np

from .encoders import Encoder


def cache_key(encoder: str, query: bool, text: str) -> str:
    """The key of a text's vector: the encoder, the mode (query or passage) and the text."""
    return hashlib.sha256(f"{encoder}\0{'q' if query else 'p'}\0{text}".encode()).hexdigest()



class EmbeddingCache:
    """SQLite-backed vectors; `None` path keeps them in memory only."""

    def __init__(self, path: str | Path | None) -> None:
        self.path = Path(path) if path else None
        if self.path:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(self.path) if self.path else ":memory:", check_same_thread=False, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vec BLOB NOT NULL)")
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def known(self, keys: Iterable[str]) -> set[str]:
        """Which of these keys the cache holds."""
        keys = list(keys)
        out: set[str] = set()
        with self._lock:
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                marks = ",".join("?" * len(chunk))
                out.update(k for (k,) in self._db.execute(f"SELECT key FROM vectors WHERE key IN ({marks})", chunk))
        return out

    def put(self, vectors: dict[str, np.ndarray]) -> None:
        """Store vectors under their keys (`cache_key`)."""
        with self._lock, self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO vectors (key, vec) VALUES (?, ?)",
                [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in vectors.items()],
            )

    def embed(
        self,
        encoder: Encoder,
        texts: Sequence[str],
        *,
        query: bool = True,
        batch_size: int = 32,
        progress: Callable[[int, int], None] | None = None,
    ) -> np.ndarray:
        """Return the vectors of `texts`, encoding only the ones not cached yet; `progress(done, total)`
        after each batch encoded."""
        keys = [cache_key(encoder.name, query, t) for t in texts]
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for key, blob in self._db.execute(f"SELECT key, vec FROM vectors WHERE key IN ({marks})", chunk):
                    found[key] = np.frombuffer(blob, dtype=np.float32)
        missing = list(dict.fromkeys(k for k in keys if k not in found))
        self.hits += len(keys) - len(missing)
        self.misses += len(missing)
        if missing:
            text_of = dict(zip(keys, texts))
            for start in range(0, len(missing), batch_size):
                chunk = missing[start : start + batch_size]
                vecs = encoder.encode([text_of[k] for k in chunk], query=query)
                found.update(zip(chunk, vecs))
                if progress is not None:
                    progress(min(start + batch_size, len(missing)), len(missing))
            self.put({k: found[k] for k in missing})
        if not keys:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([found[k] for k in keys]).astype(np.float32)

    def close(self) -> None:
        self._db.close()
