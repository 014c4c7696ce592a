"""Bank vectors shipped with the package, so a first start does not embed the bundled banks.

>>> write_prebuilt(units_for(banks), encoder, cache, PREBUILT_DIR / "e5-small-q4.npz")   # after editing a bank
>>> seeded = seed_cache(cache, encoder, units)   # what the index build then finds in the cache

`index/prebuilt/<encoder>.npz` holds, for every text the bundled banks embed, its cache key
(`index.cache.cache_key`: encoder, mode, text) and its vector, plus a few probe texts. Before
the file is used, the probes are embedded again with the installed encoder and must agree
(cosine >= PROBE_AGREEMENT), so vectors from another version of the model are never mixed in:
the index is then built by embedding, as without the file. A bank that changed since the file
was written only has its changed texts embedded; `interview index prebuild` rewrites the file.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .cache import EmbeddingCache, cache_key
from .encoders import Encoder
from .files import write_atomic

PREBUILT_DIR = Path(__file__).resolve().parent / "prebuilt"
PROBES = 3
PROBE_AGREEMENT = 0.999
log = logging.getLogger("interview.index")
_VERIFIED: dict[tuple[str, str], bool] = {}


def prebuilt_path(encoder_name: str) -> Path:
    return PREBUILT_DIR / f"{encoder_name}.npz"


def write_prebuilt(units: Sequence, encoder: Encoder, cache: EmbeddingCache, path: Path) -> int:
    """Write the vectors of these index units (`index.store.units_for(banks)`; through the cache); return how many."""
    import io

    units = list({(u.text, u.query): u for u in units}.values())
    vectors = np.zeros((len(units), 0), dtype=np.float32)
    for query in (True, False):
        rows = [i for i, u in enumerate(units) if u.query == query]
        vecs = cache.embed(encoder, [units[i].text for i in rows], query=query)
        if vectors.shape[1] == 0 and len(rows):
            vectors = np.zeros((len(units), vecs.shape[1]), dtype=np.float32)
        vectors[rows] = vecs
    keys = np.array([cache_key(encoder.name, u.query, u.text) for u in units])
    step = max(1, len(units) // PROBES)
    probes = [{"row": i, "text": units[i].text, "query": units[i].query} for i in range(0, len(units), step)][:PROBES]
    meta = {"encoder": encoder.name, "dim": int(vectors.shape[1]), "count": len(units), "probes": probes}
    buf = io.BytesIO()
    np.savez_compressed(buf, keys=keys, vectors=vectors.astype(np.float32), meta=np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8))
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, buf.getvalue())
    return len(units)


def _load(path: Path, encoder: Encoder) -> tuple[np.ndarray, np.ndarray] | None:
    """The file's keys and vectors when its probes agree with `encoder`, else None (with a log line)."""
    try:
        with np.load(path, allow_pickle=False) as z:
            keys, vectors, meta = z["keys"], z["vectors"], json.loads(bytes(z["meta"]).decode())
    except (OSError, ValueError, KeyError) as e:
        log.warning("prebuilt vectors %s are unreadable (%s): embedding the banks instead", path, e)
        return None
    if meta.get("encoder") != encoder.name or not meta.get("probes"):
        return None
    tag = (str(path), encoder.name)
    if tag not in _VERIFIED:
        agree = True
        for p in meta["probes"]:
            v = encoder.encode([p["text"]], query=p["query"])[0]
            stored = vectors[p["row"]]
            cos = float(v @ stored / (np.linalg.norm(v) * np.linalg.norm(stored) + 1e-12))
            agree &= cos >= PROBE_AGREEMENT
        _VERIFIED[tag] = agree
        if not agree:
            log.warning("prebuilt vectors %s do not match the installed %s model: embedding the banks instead", path, encoder.name)
    return (keys, vectors) if _VERIFIED[tag] else None


def seed_cache(cache: EmbeddingCache, encoder: Encoder, texts: Sequence[tuple[str, bool]], path: Path | None = None) -> int:
    """Put the shipped vectors of those (text, query) pairs that the cache lacks into it; return how many."""
    path = path or prebuilt_path(encoder.name)
    if not path.is_file():
        return 0
    wanted = {cache_key(encoder.name, q, t) for t, q in texts}
    missing = wanted - cache.known(wanted)
    if not missing:
        return 0
    loaded = _load(path, encoder)
    if loaded is None:
        return 0
    keys, vectors = loaded
    found = {str(k): vectors[i] for i, k in enumerate(keys) if str(k) in missing}
    cache.put(found)
    return len(found)
