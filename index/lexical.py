"""Lexical matching: Korean morphemes from kiwipiepy, and BM25 over them."""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Sequence

# Content morphemes: nouns, verb and adjective stems, roots, foreign words, numbers, hanja.
_KEEP = {"NNG", "NNP", "NR", "VV", "VA", "XR", "SL", "SN", "SH", "NNB"}
_kiwi = None
_kiwi_lock = threading.Lock()


def _analyser():
    global _kiwi
    with _kiwi_lock:
        if _kiwi is None:
            from kiwipiepy import Kiwi

            _kiwi = Kiwi()
        return _kiwi


def tokens(text: str) -> list[str]:
    """Return the content morphemes of a text, lower-cased (English words stay whole)."""
    if not text.strip():
        return []
    out = []
    for tok in _analyser().tokenize(text):
        if tok.tag in _KEEP:
            form = tok.form.lower().strip(".-")
            if form:
                out.append(form)
    return out


class BM25:
    """Okapi BM25 over pre-tokenised documents."""

    def __init__(self, docs: Sequence[Sequence[str]], k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.tf = [Counter(d) for d in docs]
        self.len = [len(d) for d in docs]
        self.avg = (sum(self.len) / len(docs)) if docs else 0.0
        df = Counter(t for d in docs for t in set(d))
        n = len(docs)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}

    def scores(self, query: Sequence[str]) -> list[float]:
        out = []
        for tf, length in zip(self.tf, self.len):
            s = 0.0
            norm = self.k1 * (1 - self.b + self.b * length / (self.avg or 1))
            for t in set(query):
                f = tf.get(t, 0)
                if f:
                    s += self.idf[t] * f * (self.k1 + 1) / (f + norm)
            out.append(s)
        return out
