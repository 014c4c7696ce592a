"""The measurements a grade is made from: how an answer relates to its question's reference.

Every signal is a plain number; `app.grading.scoring` turns them into a score with a fitted model.
Key points are matched sentence by sentence: for each point, the answer sentence closest
to it, compared with how close the *other* questions' reference sentences get to that
point (its `baseline`). Raw e5 cosines are not used as scores because unrelated Korean
texts already reach about 0.8; differences to such baselines carry the information.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from index.bank import Question
from index.text import normalize, sentences

from ..core.limits import MAX_GRADED_CHARS, MAX_GRADED_SENTENCES
from ..judge.claims import CONTRADICTED, COVERED, Verdict, judge_points
from ..judge.model import judge_for

# A key point counts as covered when its best answer sentence is closer to it than this answer
# gets to the key points of unrelated questions (their 90th percentile), by this margin. The
# baseline belongs to the answer, so it moves with the answer's language and style: English
# answers to Korean points score lower cosines across the board, and are judged fairly.
COVERED_MARGIN = 0.005
BASELINE_PERCENTILE = 90
# How much a sentence must prefer a known wrong claim over its correction and every key point.
MISCONCEPTION_LEAD = 0.02
# ... and share at least this part of the claim's distinctive character bigrams.
DISTINCTIVE_SHARE = 0.34
# A sentence is about the question when it gets this close to one of its points, relative to the
# point's baseline (see measure).
FOCUS_MARGIN = -0.03
# The grade is made from the key-point verdicts (j_cov: the share of points covered, j_ent:
# the judge's mean belief) with similarity to the reference as support, and capped by the
# verdicts (grade.py). Chosen by question-wise 5-fold CV on ko-answers + points-w1..w4: Spearman
# 0.727 / 0.578. Length (of the sentences about the question) gave 0.742 / 0.606 but raised
# answers with another question's reference appended by up to 39 points, so it is left out.
FEATURES = ("j_cov", "j_ent", "ref", "ref_margin", "ref_z", "cov_mean", "cov_rel", "cov_frac", "cov_point", "q_gap", "lex", "mis")
_BIGRAM_SKIP = re.compile(r"[\W_]+", re.UNICODE)


@dataclass(frozen=True)
class PointMatch:
    text: str
    similarity: float
    baseline: float
    evidence: str

    @property
    def margin(self) -> float:
        return self.similarity - self.baseline

    @property
    def covered(self) -> bool:
        return self.margin >= COVERED_MARGIN


@dataclass(frozen=True)
class MisconceptionHit:
    """A known wrong claim of the bank that an answer sentence (`evidence`) makes."""

    claim: str
    correction: str | None
    evidence: str


@dataclass(frozen=True)
class Measured:
    values: dict[str, float]
    points: list[PointMatch]
    verdicts: list[Verdict]
    misconceptions: list[MisconceptionHit]
    better_match: str | None
    sentences: list[str]
    truncated: bool


def bigrams(text: str) -> set[str]:
    """Character bigrams of the letters and digits of a text (spaces and marks removed)."""
    s = _BIGRAM_SKIP.sub("", normalize(text))
    return {s[i : i + 2] for i in range(len(s) - 1)}


def split_answer(answer: str) -> tuple[str, list[str], bool]:
    """The part of an answer that is graded, its sentences, and whether it was cut."""
    text = answer[:MAX_GRADED_CHARS].strip()
    return text, sentences(text)[:MAX_GRADED_SENTENCES] or [text], len(answer) > MAX_GRADED_CHARS


def measure(kb, q: Question, answer: str, misconception_margin: float = MISCONCEPTION_LEAD, vectors: np.ndarray | None = None) -> Measured:
    """Embed the answer's sentences once (or take `vectors`, embedded in a batch by the caller,
    one row per sentence of `split_answer`), and compute every signal for question `q`."""
    text, all_sents, truncated = split_answer(answer)
    # One encoder pass over the sentences. Embedding the whole text as well would double the cost
    # (the batch pads every sentence to its length).
    all_vecs = kb.embed(all_sents) if vectors is None else vectors
    pv = kb.index.vectors_of(q.id, "point")
    points_text = kb.index.texts_of(q.id, "point")
    # The answer is graded on its sentences about this question: those closer to one of its points
    # than other references get (the points' own baselines, which do not depend on the answer), and
    # always the closest one. Text appended about something else then changes no signal (maxima
    # over more sentences only grow, a mean drifts). On eval/data/points, -0.03 keeps 76% of the
    # answers' sentences, 42% of other references' and 1% of unrelated chat. Misconceptions are
    # looked for in every sentence.
    scope = kb.scope(q.bank)  # the question's own bank: other banks do not move its baselines
    unrelated_points = scope.points[scope.point_family != q.family_id]
    point_baselines = kb.point_baselines(q.id)
    to_point = all_vecs @ pv.T
    to_points = (to_point - point_baselines).max(axis=1)
    # ... or closer to one of them than this answer gets to unrelated questions' points: English
    # sentences sit lower against Korean references but keep their place against the answer's own.
    answer_base = (
        float(np.percentile((all_vecs @ unrelated_points.T).max(axis=0), BASELINE_PERCENTILE)) if len(unrelated_points) else np.inf
    )
    keep = (to_points >= FOCUS_MARGIN) | (to_point.max(axis=1) >= answer_base)
    keep[int(to_points.argmax())] = True
    sents = [s for s, k in zip(all_sents, keep) if k]
    sent_vecs = all_vecs[keep]
    focus_text = " ".join(sents)
    whole = sent_vecs.mean(axis=0)
    whole /= max(float(np.linalg.norm(whole)), 1e-12)

    # Key points: the closest sentence (or the whole answer) for each, against the point's baseline.
    candidates = np.vstack([sent_vecs, whole[None, :]])
    sims = candidates @ pv.T
    best = sims.argmax(axis=0)
    unrelated = (candidates @ unrelated_points.T).max(axis=0)
    base = float(np.percentile(unrelated, BASELINE_PERCENTILE)) if len(unrelated) else 0.0
    points = [
        PointMatch(t, float(sims[b, j]), base, sents[b] if b < len(sents) else text) for j, (t, b) in enumerate(zip(points_text, best))
    ]
    margins = np.array([p.margin for p in points])
    # The older per-point baseline: how close other references' sentences get to each point.
    point_margins = sims.max(axis=0) - point_baselines

    # The answer against every reference: its own, and the best other one outside its family.
    ref_sims = scope.references @ whole
    own = scope.ids.index(q.id)
    ref = float(ref_sims[own])
    others = np.delete(ref_sims, own)
    other_ids = [i for i in scope.ids if i != q.id]
    outside = [j for j, oid in enumerate(other_ids) if kb.questions[oid].family_id != q.family_id]
    better = None
    if outside:
        j = max(outside, key=lambda j: others[j])
        if others[j] > ref:
            better = other_ids[j]
        margin = ref - float(others[j])
    else:
        margin = 0.0

    q_sim = float(kb.index.vectors_of(q.id, "question")[0] @ whole)
    ref_bigrams = set().union(*(bigrams(p) for p in q.points())) if q.points() else set()
    lex = len(ref_bigrams & bigrams(focus_text)) / len(ref_bigrams) if ref_bigrams else 0.0

    mis_found, mis_signal = _misconceptions(kb, q, all_sents, all_vecs, pv, misconception_margin)
    # The claims: each key point read against its closest sentences by the judge.
    verdicts = judge_points(judge_for(kb), list(points_text), sents, sims[: len(sents)], base, expand=kb.glossary.expand)
    verdicts = _known_wrong(kb, q, verdicts, mis_found, pv)
    n = max(1, len(verdicts))
    values = {
        "j_cov": sum(v.status == COVERED for v in verdicts) / n,
        "j_ent": sum(v.entails for v in verdicts) / n,
        "j_con": max((v.contradicts for v in verdicts), default=0.0),
        "j_ncon": sum(v.status == CONTRADICTED for v in verdicts) / n,
        "ref": ref,
        "ref_margin": margin,
        "ref_z": float((ref - others.mean()) / (others.std() + 1e-6)) if len(others) > 1 else 0.0,
        "cov_mean": float(sims.max(axis=0).mean()),
        "cov_rel": float(margins.mean()),
        "cov_frac": float((margins >= COVERED_MARGIN).mean()),
        "cov_point": float(point_margins.mean()),
        "q_sim": q_sim,
        # Closer to the question than to the answer: a restated question, not an answer.
        "q_gap": q_sim - ref,
        "lex": lex,
        "nchar": math.log1p(len(focus_text)),
        "nsent": float(len(sents)),
        "mis": mis_signal,
        "on_share": float(keep.mean()),
    }
    return Measured(values, points, verdicts, mis_found, better, all_sents, truncated)


def _known_wrong(kb, q: Question, verdicts: list[Verdict], found: list[MisconceptionHit], pv: np.ndarray) -> list[Verdict]:
    """A sentence that makes one of the bank's known wrong claims contradicts the key point its
    correction restates (the closest point to the correction): the judge alone cannot tell a
    claim from its wrong version, and would otherwise tick that point as covered by it."""
    if not found:
        return verdicts
    claims = [m.claim for m in q.misconceptions]
    to_points = kb.index.vectors_of(q.id, "correction") @ pv.T
    out = list(verdicts)
    for hit in found:
        j = int(to_points[claims.index(hit.claim)].argmax())
        v = out[j]
        out[j] = Verdict(v.text, CONTRADICTED, hit.evidence, v.entails, v.contradicts)
    return out


def _misconceptions(kb, q: Question, sents, sent_vecs, pv, margin: float) -> tuple[list[MisconceptionHit], float]:
    """Find sentences that make a known wrong claim.

    Embeddings place a claim and its negation close together, so a match alone proves
    nothing: the sentence must prefer the wrong claim over its correction and over every
    key point, and it must also share the words that set the claim apart (its character
    bigrams found in neither the correction, the key points nor the question).
    """
    mv = kb.index.vectors_of(q.id, "misconception")
    if not len(mv):
        return [], 0.0
    cv = kb.index.vectors_of(q.id, "correction")
    msims, csims = sent_vecs @ mv.T, sent_vecs @ cv.T
    point_best = (sent_vecs @ pv.T).max(axis=1)
    common = bigrams(q.question).union(*(bigrams(p) for p in q.points()))
    found, signal = [], 0.0
    for j, m in enumerate(q.misconceptions):
        rivals = np.maximum(csims[:, j] if m.correction else -1.0, point_best)
        lead = msims[:, j] - rivals
        t = int(lead.argmax())
        signal = max(signal, float(lead[t]))
        distinctive = bigrams(m.claim) - bigrams(m.correction or "") - common
        shared = len(distinctive & bigrams(sents[t])) / len(distinctive) if distinctive else 0.0
        if lead[t] > margin and shared >= DISTINCTIVE_SHARE:
            found.append(MisconceptionHit(m.claim, m.correction, sents[t]))
    return found, signal
