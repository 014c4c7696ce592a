"""Questions that come with their own reference answer (a batch or benchmark file, not a bank).

>>> bank, ids = adhoc_bank([("What is a stack?", "LIFO ...", "1.1")])
>>> ids[("What is a stack?", "LIFO ...")]
'adhoc-…/1.1'

The distinct (question, reference answer) pairs become an in-memory bank, one entry each, with
key points derived from the reference's sentences, indexed like any other bank.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from index.bank import Bank, Question


def adhoc_bank(pairs: Iterable[tuple[str, str, str | None]]) -> tuple[Bank, dict[tuple[str, str], str]]:
    """Make a bank of the distinct (question, reference answer) pairs; return it and each pair's question id.

    The third item of a pair is the file's own id for the question, if any; it becomes the entry's
    anchor so results can be traced back to the file ("1.1" -> "adhoc-…/1.1"), unless the file
    reuses one id for different questions.
    """
    digest = hashlib.sha256()
    anchors: dict[tuple[str, str], str] = {}
    for question, reference, own in pairs:
        key = (question.strip(), reference.strip())
        if key not in anchors:
            anchors[key] = (own or "").strip() or str(len(anchors) + 1)
            digest.update("\0".join(key).encode("utf-8"))
    slug = f"adhoc-{digest.hexdigest()[:10]}"
    if len(set(anchors.values())) < len(anchors):
        anchors = {key: str(i) for i, key in enumerate(anchors, start=1)}
    questions = tuple(
        Question(id=f"{slug}/{a}", bank=slug, anchor=a, parent=None, question=q, answer=ref) for (q, ref), a in anchors.items()
    )
    bank = Bank(slug=slug, title="reference answers from a data file", path="<data>", questions=questions)
    return bank, {key: f"{slug}/{a}" for key, a in anchors.items()}
