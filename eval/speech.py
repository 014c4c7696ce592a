"""Speech recognition error rates: CER for Korean (characters, spaces ignored), WER for English.

>>> error_rate("배치 정규화", "배치정규화", "char")      # 0.0: spacing is not an error in Korean
>>> error_rate("the cat sat", "the cat sat down", "word")  # 0.333...

Both are edit distance over the reference length, after lower-casing and dropping punctuation;
summed over a set (total edits / total reference length), as ASR papers report them.
"""

from __future__ import annotations

import re

_PUNCT = re.compile(r"[^\w\s]")


def units(text: str, unit: str) -> list[str]:
    """The characters (no spaces) or the words of a text, lower-cased, without punctuation."""
    clean = _PUNCT.sub(" ", text.lower())
    return list(re.sub(r"\s+", "", clean)) if unit == "char" else clean.split()


def edits(ref: list[str], hyp: list[str]) -> int:
    """Levenshtein distance (substitutions, insertions, deletions) between two sequences."""
    prev = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, start=1):
        cur = [i]
        for j, h in enumerate(hyp, start=1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r != h)))
        prev = cur
    return prev[-1]


def error_rate(ref: str, hyp: str, unit: str) -> float:
    """CER (unit 'char') or WER (unit 'word') of one hypothesis."""
    return corpus_error_rate([(ref, hyp)], unit)


def corpus_error_rate(pairs: list[tuple[str, str]], unit: str) -> float:
    """Total edits over total reference units of (reference, hypothesis) pairs."""
    total = errors = 0
    for ref, hyp in pairs:
        r = units(ref, unit)
        total += len(r)
        errors += edits(r, units(hyp, unit))
    return errors / total if total else 0.0
