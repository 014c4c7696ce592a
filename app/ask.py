"""Answer a free-form question from the banks: hybrid retrieval and an extractive answer with citations.

>>> result = ask(kb, "배치 정규화를 쓰면 뭐가 좋아?")
>>> result.in_bank, result.citations[0].question_id
(True, 'deep-learning/16')

Retrieval fuses dense search (an entry's best question, key-point and sentence matches,
weighted) with BM25 over Korean morphemes, by adding a small share of the normalised BM25 score. Whether the bank covers the
question at all is decided on the dense similarity of the best entry, against a threshold
measured on in-bank and out-of-bank examples (`eval/data/`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from index.errors import InterviewError
from index.lexical import BM25, tokens
from index.text import sentences

from .knowledge import Knowledge

# Fusion: dense score + LEXICAL_WEIGHT x (BM25 / best BM25 of the query). Measured on
# eval/data/retrieval.csv: 0.01 lifts recall@1 from 0.888 to 0.894; 0.03 and more lower it, and
# reciprocal-rank fusion with any BM25 vote lowered it too (short queries give noisy morphemes).
LEXICAL_WEIGHT = 0.01
# An entry's dense score: its question text matters most, then key points and answer sentences.
DENSE_WEIGHTS = {"question": 0.4, "point": 0.3, "sentence": 0.3}
# Lowest dense score of the best entry at which a query counts as covered by the bank,
# measured on eval/data/retrieval.csv (in-bank paraphrases against out-of-bank questions).
IN_BANK_THRESHOLD = 0.85
MAX_QUERY_CHARS = 2000
NOT_COVERED = "이 질문은 현재 질문 은행에서 다루지 않습니다. (Not covered by this bank.)"


@dataclass(frozen=True)
class Source:
    question_id: str
    title: str
    score: float  # fused relevance (dense + lexical), best first
    similarity: float  # dense similarity of the entry's best unit


@dataclass(frozen=True)
class Answer:
    query: str
    in_bank: bool
    answer: str
    citations: list[Source]

    def to_dict(self) -> dict:
        return asdict(self)


def retrieve(kb: Knowledge, query: str, k: int = 5) -> list[Source]:
    """Return the k entries most relevant to `query`, fused from dense and BM25 rankings."""
    qv = kb.embed([query])[0]
    dense = _dense_scores(kb, qv)
    ids = list(kb.questions)
    lexical = kb.bm25.scores(tokens(query))
    top = max(lexical, default=0.0) or 1.0
    fused = {qid: dense[qid] + LEXICAL_WEIGHT * lexical[i] / top for i, qid in enumerate(ids)}
    best = sorted(fused, key=fused.get, reverse=True)[:k]
    return [Source(q, kb.questions[q].question, round(fused[q], 5), round(dense.get(q, 0.0), 4)) for q in best]


def _dense_scores(kb: Knowledge, qv: np.ndarray) -> dict[str, float]:
    """Score each entry by its best question, key-point and sentence matches, weighted."""
    best: dict[tuple[str, str], float] = {}
    for row, score in kb.index.search(qv, k=len(kb.index.search_rows)):
        u = kb.index.units[row]
        key = (u.question_id, u.kind)
        if score > best.get(key, -1.0):
            best[key] = score
    out: dict[str, float] = {}
    for qid in kb.questions:
        parts = {kind: best.get((qid, kind)) for kind in DENSE_WEIGHTS}
        present = {kind: v for kind, v in parts.items() if v is not None}
        total = sum(DENSE_WEIGHTS[kind] for kind in present)
        out[qid] = sum(DENSE_WEIGHTS[kind] * v for kind, v in present.items()) / total if total else 0.0
    return out


def ask(kb: Knowledge, query: str, k: int = 5, threshold: float = IN_BANK_THRESHOLD) -> Answer:
    """Answer `query` from the banks, or say it is not covered."""
    if not query.strip():
        raise InterviewError("the question is empty: type what you want to know")
    if k < 1:
        raise InterviewError(f"-k must be at least 1, got {k}")
    query = query[:MAX_QUERY_CHARS]
    sources = retrieve(kb, query, k)
    top = max((s.similarity for s in sources), default=0.0)
    if not sources or top < threshold:
        return Answer(query, False, NOT_COVERED, sources)
    return Answer(query, True, _extract(kb, query, sources), sources)


def _extract(kb: Knowledge, query: str, sources: list[Source], per_entry: int = 2, entries: int = 2) -> str:
    """Build an answer from the best sentences of the top entries, each tagged with its citation number."""
    qv = kb.embed([query])[0]
    parts: list[str] = []
    lead = sources[0].similarity
    for n, src in enumerate(sources[:entries], start=1):
        if n > 1 and src.similarity < lead - 0.03:
            break
        q = kb.questions[src.question_id]
        sents = sentences(q.answer_text, min_chars=8)
        if not sents:
            continue
        vecs = kb.index.vectors_of(q.id, "sentence")
        order = np.argsort(vecs @ qv)[::-1][:per_entry] if len(vecs) == len(sents) else range(min(per_entry, len(sents)))
        for i in sorted(int(i) for i in order):  # keep the entry's own order so the text reads well
            parts.append(f"{sents[i]} [{n}]")
    return " ".join(parts) if parts else NOT_COVERED
