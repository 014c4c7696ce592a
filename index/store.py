"""The vector index: what is embedded (units), FAISS search, and the manifest beside it.

>>> idx = open_index(banks, get_encoder("e5"), Path("~/.local/share/interview-coach/index/e5"), cache)
>>> idx.search(query_vector, k=5, kinds={"question"})   # [(unit_row, score), ...]

A saved index is four files: `index.faiss`, `vectors.npy`, `units.json` and `manifest.json`.
Every file is written to a temporary name and renamed into place, and the manifest, written
last, records the SHA-256 of the other three: a crash mid-write leaves a set that does not
verify, which is rebuilt on the next load instead of being used.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from .bank import Bank
from .cache import EmbeddingCache
from .encoders import Encoder
from .errors import InterviewError
from .files import write_atomic
from .lexical import tokens
from .text import sentences

FORMAT_VERSION = 1
# Exact search below this many vectors, HNSW above. Measured with scripts/bench_ann.py on
# 2 cores (384-d): exact search takes 1.2 ms at 20k vectors, 6 ms at 100k and 14 ms at 200k,
# still well under the ~100 ms of encoding the query, while HNSW (M=32) needs tens of seconds
# to build at those sizes and loses recall. The bundled bank has about 1,500 vectors.
ANN_THRESHOLD = 200_000
FILES = ("index.faiss", "vectors.npy", "units.json")
# Progress lines while embedding only from this many texts (a first start without the shipped
# vectors, or a large new bank: minutes, not seconds).
PROGRESS_FROM = 256
log = logging.getLogger("interview.index")


@dataclass(frozen=True)
class Unit:
    """One embedded text. `kind`: question, context (a follow-up with its parent's question),
    reference, point, misconception, correction, sentence."""

    question_id: str
    kind: str
    text: str
    query: bool  # embedded as a query (symmetric matching) or as a passage (retrieval)


def units_for(banks: Iterable[Bank]) -> list[Unit]:
    """List what the index embeds for these banks, in a stable order."""
    out: list[Unit] = []
    for bank in banks:
        by_id = {q.id: q for q in bank.questions}
        for q in bank.questions:
            out.append(Unit(q.id, "question", q.question, True))
            parent = by_id.get(q.parent_id) if q.parent_id else None
            if parent is not None:
                # A follow-up is asked in its parent's context ("Back Propagation은 몇줄인가?" is about
                # the numpy MNIST classifier of #18): embed it with that context as well.
                out.append(Unit(q.id, "context", f"{parent.question} {q.question}", True))
            if not q.answered:
                continue
            out.append(Unit(q.id, "reference", q.answer_text, True))
            out.extend(Unit(q.id, "point", p, True) for p in q.points())
            for m in q.misconceptions:
                out.append(Unit(q.id, "misconception", m.claim, True))
                # The correction (or, without one, the claim again) keeps rows aligned with misconceptions.
                out.append(Unit(q.id, "correction", m.correction or m.claim, True))
            out.extend(Unit(q.id, "sentence", s, False) for s in sentences(q.answer_text, min_chars=8))
    return out


def content_hash(units: Sequence[Unit]) -> str:
    h = hashlib.sha256(f"format {FORMAT_VERSION}\n".encode())
    for u in units:
        h.update(json.dumps(asdict(u), ensure_ascii=False, sort_keys=True).encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()


class VectorIndex:
    """Embedded units, their vectors, a FAISS index over the searchable ones, and per-question lookups."""

    SEARCHABLE = ("question", "context", "point", "sentence")

    def __init__(self, units: list[Unit], vectors: np.ndarray, manifest: dict, faiss_index=None, lexical=None) -> None:
        self.units = units
        self.vectors = vectors
        self.manifest = manifest
        self.rows: dict[tuple[str, str], list[int]] = {}
        for i, u in enumerate(units):
            self.rows.setdefault((u.question_id, u.kind), []).append(i)
        self.search_rows = np.array([i for i, u in enumerate(units) if u.kind in self.SEARCHABLE], dtype=np.int64)
        self.faiss = faiss_index if faiss_index is not None else _faiss_index(vectors[self.search_rows])
        # Morphemes of each question's searchable text, for BM25 (computed once, at build).
        self.lexical: dict[str, list[str]] = lexical or {}

    def vectors_of(self, question_id: str, kind: str) -> np.ndarray:
        rows = self.rows.get((question_id, kind), [])
        return self.vectors[rows] if rows else np.zeros((0, self.vectors.shape[1]), dtype=np.float32)

    def texts_of(self, question_id: str, kind: str) -> list[str]:
        return [self.units[i].text for i in self.rows.get((question_id, kind), [])]

    def search(self, vector: np.ndarray, k: int = 10) -> list[tuple[int, float]]:
        """Return (unit row, inner product) of the k nearest searchable units."""
        k = min(k, len(self.search_rows))
        if k <= 0:
            return []
        scores, ids = self.faiss.search(np.asarray(vector, dtype=np.float32).reshape(1, -1), k)
        return [(int(self.search_rows[i]), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]


def _faiss_index(vectors: np.ndarray):
    import faiss

    dim = vectors.shape[1] if vectors.ndim == 2 and vectors.shape[1] else 1
    if len(vectors) >= ANN_THRESHOLD:
        index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.hnsw.efSearch = 128
    else:
        index = faiss.IndexFlatIP(dim)
    if len(vectors):
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


class _Progress:
    """Log lines while the banks are embedded (a first start, or a bank changed): about one per 10%."""

    def __init__(self, encoder: str, query: bool) -> None:
        self.encoder, self.kind = encoder, "questions and points" if query else "answer sentences"
        self.next, self.started = 0.0, time.time()

    def __call__(self, done: int, total: int) -> None:
        if total < PROGRESS_FROM:  # a few changed texts: done before anyone waits
            return
        if done / total >= self.next or done == total:
            rate = done / max(time.time() - self.started, 1e-6)
            left = (total - done) / rate if rate else 0.0
            log.info("embedding the banks' %s with %s: %d/%d (about %.0f s left)", self.kind, self.encoder, done, total, left)
            self.next = done / total + 0.1


def build(banks: Sequence[Bank], encoder: Encoder, cache: EmbeddingCache) -> VectorIndex:
    """Embed every unit of the banks (through the cache) and index the searchable ones."""
    from .prebuilt import seed_cache

    started = time.perf_counter()
    units = units_for(banks)
    shipped = seed_cache(cache, encoder, [(u.text, u.query) for u in units])
    if shipped:
        log.info("took %d bank vectors from the prebuilt file shipped with the package", shipped)
    vectors = np.zeros((len(units), 0), dtype=np.float32)
    for query in (True, False):
        rows = [i for i, u in enumerate(units) if u.query == query]
        if not rows:
            continue
        vecs = cache.embed(encoder, [units[i].text for i in rows], query=query, progress=_Progress(encoder.name, query))
        if vectors.shape[1] == 0:
            vectors = np.zeros((len(units), vecs.shape[1]), dtype=np.float32)
        vectors[rows] = vecs
    lexical: dict[str, list[str]] = {}
    for bank in banks:
        for q in bank.questions:
            lexical[q.id] = tokens(" ".join([q.question, q.question, q.answer_text, *q.key_points]))
    manifest = {
        "format_version": FORMAT_VERSION,
        "encoder": encoder.name,
        "dim": int(vectors.shape[1]),
        "count": len(units),
        "content_hash": content_hash(units),
        "ann": "hnsw" if (vectors.shape[0] >= ANN_THRESHOLD) else "flat",
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "build_seconds": round(time.perf_counter() - started, 3),
        "banks": [b.slug for b in banks],
        "from_prebuilt": shipped,  # vectors taken from index/prebuilt/ (see index.prebuilt)
    }
    return VectorIndex(units, vectors, manifest, lexical=lexical)


def save(index: VectorIndex, directory: Path) -> None:
    """Write the index files, then the manifest that vouches for them (see the module doc)."""
    import io

    import faiss

    directory.mkdir(parents=True, exist_ok=True)
    (directory / "manifest.json").unlink(missing_ok=True)  # invalid until the new set is complete
    buf = io.BytesIO()
    np.save(buf, index.vectors)
    payloads = {
        "index.faiss": faiss.serialize_index(index.faiss).tobytes(),
        "vectors.npy": buf.getvalue(),
        "units.json": json.dumps({"units": [asdict(u) for u in index.units], "lexical": index.lexical}, ensure_ascii=False).encode("utf-8"),
    }
    sums = {name: write_atomic(directory / name, data) for name, data in payloads.items()}
    manifest = dict(index.manifest, files=sums)
    write_atomic(directory / "manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8"))


def load(directory: Path, encoder: Encoder) -> VectorIndex | None:
    """Load a saved index; None when it is missing or does not verify; InterviewError on another encoder."""
    import faiss

    try:
        manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as e:
        log.warning("index manifest in %s is unreadable (%s): rebuilding", directory, e)
        return None
    if manifest.get("encoder") != encoder.name:
        raise InterviewError(
            f"the index in {directory} was built with encoder '{manifest.get('encoder')}', not '{encoder.name}': "
            f"run 'interview index build --encoder {encoder.name}' or use --encoder {manifest.get('encoder')}"
        )
    if manifest.get("format_version") != FORMAT_VERSION:
        log.warning(
            "index in %s has format %s, this version reads %s: rebuilding", directory, manifest.get("format_version"), FORMAT_VERSION
        )
        return None
    try:
        blobs = {name: (directory / name).read_bytes() for name in FILES}
    except OSError as e:
        log.warning("index file missing in %s (%s): rebuilding", directory, e)
        return None
    for name, data in blobs.items():
        if hashlib.sha256(data).hexdigest() != manifest.get("files", {}).get(name):
            log.warning("index file %s does not match its manifest (corrupt or truncated): rebuilding", directory / name)
            return None
    import io

    try:
        vectors = np.load(io.BytesIO(blobs["vectors.npy"]), allow_pickle=False)
        stored = json.loads(blobs["units.json"].decode("utf-8"))
        units = [Unit(**u) for u in stored["units"]]
        index = faiss.deserialize_index(np.frombuffer(blobs["index.faiss"], dtype=np.uint8))
    except Exception as e:  # a verified file that still fails to decode: same remedy
        log.warning("index in %s cannot be decoded (%s): rebuilding", directory, e)
        return None
    return VectorIndex(units, vectors, manifest, faiss_index=index, lexical=stored.get("lexical", {}))


def open_index(banks: Sequence[Bank], encoder: Encoder, directory: Path, cache: EmbeddingCache, rebuild: bool = False) -> VectorIndex:
    """Load the index for these banks, rebuilding (through the cache) when missing, stale or corrupt."""
    index = None if rebuild else load(directory, encoder)
    if index is not None and index.manifest.get("content_hash") == content_hash(units_for(banks)):
        return index
    if index is not None:
        log.info("content changed since the index in %s was built: rebuilding", directory)
    index = build(banks, encoder, cache)
    try:
        save(index, directory)
    except OSError as e:
        raise InterviewError(f"cannot write the index to {directory}: {e.strerror}; set INTERVIEW_HOME to a writable folder") from None
    return index
