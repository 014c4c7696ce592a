"""Answer a free-form question from the banks: hybrid retrieval and an extractive answer with citations.

>>> result = ask(kb, "배치 정규화를 쓰면 뭐가 좋아?")
>>> result.in_bank, result.citations[0].question_id
(True, 'deep-learning/16')

Retrieval fuses dense search (an entry's best question, key-point and sentence matches,
weighted) with BM25 over Korean morphemes, by adding a small share of the normalised BM25
score. Whether the bank covers the question at all is decided by `app.ask.relevance`, a small
logistic model fitted on in-bank and out-of-bank examples (`eval/data/retrieval.csv`); an
encoder without a fitted model falls back on a threshold on the best dense score.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

from index.errors import InterviewError
from index.lexical import tokens
from index.text import sentences

from ..core.knowledge import Knowledge
from ..core.limits import MAX_QUERY_CHARS
from . import relevance

# Fusion: dense score + LEXICAL_WEIGHT x (BM25 / best BM25 of the query). Measured on
# eval/data/retrieval.csv: 0.01 lifts recall@1 from 0.888 to 0.894; 0.03 and more lower it, and
# reciprocal-rank fusion with any BM25 vote lowered it too (short queries give noisy morphemes).
LEXICAL_WEIGHT = 0.01
# An entry's dense score: its question text matters most, then key points and answer sentences.
DENSE_WEIGHTS = {"question": 0.4, "point": 0.3, "sentence": 0.3}
# Without a fitted relevance model: the lowest dense score of the best entry that counts as
# covered, measured on eval/data/retrieval.csv (best balanced accuracy: rejection 0.89,
# false rejection 0.18 with e5).
IN_BANK_THRESHOLD = 0.85
# Units searched per query: enough to see every unit of a small bank, bounded for large ones.
SEARCH_DEPTH = 2000
# The answer: the best entry's first sentences (and the one closest to the query), then up to
# RELATED other entries listed after it.
LEAD_SENTENCES = 3
RELATED = 2
NOT_COVERED = "이 질문은 현재 질문 은행에서 다루지 않습니다. (Not covered by this bank.)"


@dataclass(frozen=True)
class Source:
    question_id: str
    title: str
    score: float  # fused relevance (dense + lexical), best first
    similarity: float  # dense similarity of the entry's best unit


@dataclass(frozen=True)
class Answer:
    """`citations`: the entries the answer cites, [1] first (when not covered: the nearest
    entries); `related`: other entries close to the query, listed after the answer, not cited."""

    query: str
    in_bank: bool
    answer: str
    citations: list[Source]
    related: list[Source] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Retrieval:
    sources: list[Source]
    signals: dict[str, float]  # the in-bank signals (app.ask.relevance)
    vector: np.ndarray  # the query's embedding


def retrieve(kb: Knowledge, query: str, k: int = 5) -> Retrieval:
    """Rank the entries for `query` (dense + a share of BM25) and measure whether the bank covers it."""
    # The glossary adds the banks' term beside a variant the query uses (렐루 -> 렐루(ReLU)), for
    # the encoder and BM25 alike. Measured on eval/data/retrieval-casual.csv (written by another
    # hand, never tuned on): recall@1 0.879 -> 0.908, false rejection 0.149 -> 0.071.
    expanded = kb.glossary.expand(query)
    qv = kb.embed([expanded])[0]
    best = _best_units(kb, qv)
    dense = _dense_scores(kb, best)
    ids = list(kb.questions)
    lexical = kb.bm25.scores(tokens(expanded))
    top = max(lexical, default=0.0) or 1.0
    fused = {qid: dense[qid] + LEXICAL_WEIGHT * lexical[i] / top for i, qid in enumerate(ids)}
    ranked = sorted(fused, key=fused.get, reverse=True)[:k]
    sources = [Source(q, kb.questions[q].question, round(fused[q], 5), round(dense.get(q, 0.0), 4)) for q in ranked]
    return Retrieval(sources, relevance.signals(query, dense, best, lexical), qv)


def _best_units(kb: Knowledge, qv: np.ndarray) -> dict[tuple[str, str], float]:
    """The best similarity of each (entry, unit kind) among the searched units (a follow-up's
    question in its parent's context counts as its question)."""
    best: dict[tuple[str, str], float] = {}
    for row, score in kb.index.search(qv, k=SEARCH_DEPTH):
        u = kb.index.units[row]
        key = (u.question_id, "question" if u.kind == "context" else u.kind)
        if score > best.get(key, -1.0):
            best[key] = score
    return best


def _dense_scores(kb: Knowledge, best: dict[tuple[str, str], float]) -> dict[str, float]:
    """Score each entry by its best question, key-point and sentence matches, weighted."""
    out: dict[str, float] = {}
    for qid in kb.questions:
        present = {kind: best[(qid, kind)] for kind in DENSE_WEIGHTS if (qid, kind) in best}
        total = sum(DENSE_WEIGHTS[kind] for kind in present)
        out[qid] = sum(DENSE_WEIGHTS[kind] * v for kind, v in present.items()) / total if total else 0.0
    return out


def covered(kb: Knowledge, signals: dict[str, float], threshold: float | None = None) -> bool:
    """Decide whether the bank covers a query: the fitted model, or a dense threshold."""
    model = relevance.model_for(kb)
    if threshold is not None or model is None:
        return signals["dense"] >= (IN_BANK_THRESHOLD if threshold is None else threshold)
    return model.in_bank(signals)


def confidence(kb: Knowledge, signals: dict[str, float]) -> float:
    """How sure the in-bank decision is that the bank covers a query: the model's probability, or the dense score."""
    model = relevance.model_for(kb)
    return model.probability(signals) if model else signals["dense"]


def ask(kb: Knowledge, query: str, k: int = 5, threshold: float | None = None) -> Answer:
    """Answer `query` from the banks, or say it is not covered. `threshold` forces a plain dense cut-off."""
    if not query.strip():
        raise InterviewError("the question is empty: type what you want to know", code="empty_query")
    if k < 1:
        raise InterviewError(f"-k must be at least 1, got {k}")
    query = query[:MAX_QUERY_CHARS]
    found = retrieve(kb, query, k)
    if not found.sources or not covered(kb, found.signals, threshold):
        return Answer(query, False, NOT_COVERED, found.sources)
    best = next((s for s in found.sources if sentences(kb.questions[s.question_id].answer_text, min_chars=8)), None)
    if best is None:
        return Answer(query, False, NOT_COVERED, found.sources)
    related = [s for s in found.sources if s is not best][:RELATED]
    return Answer(query, True, compose(kb, found.vector, best), [best], related)


def compose(kb: Knowledge, qv: np.ndarray, best: Source, lead: int = LEAD_SENTENCES, extra: int = 1) -> str:
    """One answer from one entry: its lead sentences in order (an entry's answer opens with its
    core claim), plus the sentence closest to the query when it comes later, every sentence cited [1].
    Sentences of different entries are never stitched together: they are listed as related instead."""
    q = kb.questions[best.question_id]
    sents = sentences(q.answer_text, min_chars=8)
    keep = set(range(min(lead, len(sents))))
    vecs = kb.index.vectors_of(q.id, "sentence")
    if len(vecs) == len(sents):
        keep |= {int(i) for i in np.argsort(vecs @ qv)[::-1][:extra]}
    return " ".join(f"{sents[i]} [1]" for i in sorted(keep))
