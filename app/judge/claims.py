"""Each key point's verdict on an answer: covered, contradicted or missed, with the sentence
that decides it.

For every key point the answer sentences closest to it (by the encoder, already computed
for the grade) go to the judge, at most `CANDIDATES` of them; sentences far below the
answer's baseline of unrelated points are not sent (they are about something else, and
the judge's cost is per pair). A point is `covered` when one of its sentences states its
claim, `contradicted` when one states the claim with another number or the opposite direction
(and none states it as the point does), otherwise `missed`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .align import align

COVERED, CONTRADICTED, MISSED = "covered", "contradicted", "missed"
CANDIDATES = 2
# Sentences whose similarity to a point is this far below the answer's baseline are not judged.
SKIP_BELOW = 0.05
# How the judge's probabilities become verdicts, measured on eval/data/points (figures in the
# README): the judge tells a sentence that is about a point's claim from one that is not (AUC
# 0.71-0.76 for p(neither)), but not a right version from a wrong one (AUC 0.50-0.58 for
# p(contradicts) between covered and contradicted points: a close paraphrase often reads as
# "contradicts"). So its entails and contradicts are read together as "states this claim"
# (1 - p(neither) >= ABOUT_MIN, 0.85 chosen on points-w1..w4), and the polarity comes from the
# alignment checks: a sentence that states the claim with another number or the opposite
# direction word contradicts it, otherwise it covers it.
ABOUT_MIN = 0.85
# A sentence can contradict a point only when it is at least this close to it (similarity minus
# the answer's baseline): a wrong version of a claim is still about that claim.
CONTRADICTION_MARGIN = 0.03


@dataclass(frozen=True)
class Verdict:
    text: str
    status: str
    evidence: str | None  # the answer sentence that decides it (None when missed)
    entails: float
    contradicts: float

    @property
    def covered(self) -> bool:
        return self.status == COVERED


def candidates(sims: np.ndarray, base: float, k: int = CANDIDATES, skip_below: float = SKIP_BELOW) -> list[list[int]]:
    """For each key point (a column of `sims`, sentences x points), the sentence rows to judge."""
    out = []
    for j in range(sims.shape[1]):
        order = np.argsort(-sims[:, j], kind="stable")[:k]
        out.append([int(i) for i in order if sims[i, j] >= base - skip_below] or [int(order[0])])
    return out


def judge_points(
    judge, points: list[str], sents: list[str], sims: np.ndarray, base: float, expand: Callable[[str], str] | None = None, **params
) -> list[Verdict]:
    """The verdict on every key point; `judge.probabilities(points, sentences)` reads the pairs.

    `expand` (the glossary's) adds the banks' term beside a transliteration (렐루 -> 렐루(ReLU))
    in what the judge reads; the evidence shown is the sentence as written."""
    if not points:
        return []
    if not sents:
        return [Verdict(p, MISSED, None, 0.0, 0.0) for p in points]
    picks = candidates(sims, base, params.get("k", CANDIDATES), params.get("skip_below", SKIP_BELOW))
    pairs = [(j, i) for j, rows in enumerate(picks) for i in rows]
    read = [expand(s) for s in sents] if expand else sents
    probs = judge.probabilities([points[j] for j, _ in pairs], [read[i] for _, i in pairs])
    margins = [float(sims[i, j]) - base for j, i in pairs]
    return decide(points, sents, pairs, probs, margins, **params)


def decide(points, sents, pairs, probs, margins=None, **params) -> list[Verdict]:
    """Verdicts from the judged pairs' probabilities (neither, entails, contradicts); `margins`:
    each pair's similarity above the answer's baseline (a contradiction needs at least
    `CONTRADICTION_MARGIN`: a wrong version of a point is still about that point)."""
    about_min = params.get("about_min", ABOUT_MIN)
    c_margin = params.get("contradiction_margin", CONTRADICTION_MARGIN)
    best: dict[int, tuple[float, float, int, int]] = {}
    for n, ((j, i), (_, ent, con)) in enumerate(zip(pairs, probs)):
        about = float(ent) + float(con)
        a = align(points[j], sents[i])
        differs = a.numbers_differ or a.direction_differs
        e, c, ei, ci = best.get(j, (0.0, 0.0, -1, -1))
        if differs:  # another number or direction: a wrong version, if the sentence is about the point at all
            if (margins is None or margins[n] >= c_margin) and about > c:
                c, ci = about, i
        elif about > e:
            e, ei = about, i
        best[j] = (e, c, ei, ci)
    out = []
    for j, point in enumerate(points):
        e, c, ei, ci = best.get(j, (0.0, 0.0, -1, -1))
        if c >= about_min and c > e:
            out.append(Verdict(point, CONTRADICTED, sents[ci], e, c))
        elif e >= about_min:
            out.append(Verdict(point, COVERED, sents[ei], e, c))
        else:
            out.append(Verdict(point, MISSED, None, e, c))
    return out
