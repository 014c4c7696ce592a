"""Alignment checks a pair model may miss: a number, a direction or a polarity that differs
between a key point and the sentence that seems to state it.

Surface patterns, not a morphological analyser: kiwipiepy tags these forms well but takes
about 3 s to load, more than the whole budget of a cold `interview grade`. The patterns
cover the negating endings (않다, 없다, 못하다, 아니다, 안 + verb) and English negation,
antonym pairs of the bank's vocabulary (증가/감소, 크다/작다, 학습/추론 ...), and numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NEGATION = re.compile(
    r"(않|없(?!애)|못(?:하|한|해|합)|아니(?!라)|아닌|아닙|아냐|(?:^|\s)안\s|\bnot\b|\bno\b|\bnever\b|n't\b|\bcannot\b|\bwithout\b)",
    re.I,
)
# Each pair: two sets of word stems that say opposite things.
ANTONYMS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("증가", "늘어", "늘리", "늘면", "커지", "커진", "커집", "높아", "상승", "increase", "grow", "larger", "higher"),
     ("감소", "줄어", "줄이", "줄면", "작아", "작아진", "낮아", "하락", "decrease", "shrink", "smaller", "lower")),
    (("크다", "큰 ", "크면", "크게", "large", "big"), ("작다", "작은 ", "작으면", "작게", "small")),
    (("많", "more"), ("적은", "적게", "적다", "적으면", "fewer", "less")),
    (("빠르", "빠른", "빨라", "faster"), ("느리", "느린", "느려", "slower")),
    (("학습 때", "학습 시", "학습할 때", "훈련 때", "훈련 시", "training"),
     ("추론 때", "추론 시", "추론할 때", "테스트 때", "평가 때", "inference", "test time")),
    (("양수", "positive"), ("음수", "negative")),
    (("최대", "maximum", "maximize"), ("최소", "minimum", "minimize")),
    (("앞", "이전", "before", "earlier"), ("뒤", "이후", "after", "later")),
)
_NUMBER = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?|\.\d+)(?:\s*(%|배|x|×))?")


@dataclass(frozen=True)
class Alignment:
    numbers_differ: bool  # the point states a number; the sentence states others, not it
    polarity_differs: bool  # one of the two is negated, the other not
    direction_differs: bool  # the sentence has the opposite word of one the point has

    @property
    def any(self) -> bool:
        return self.numbers_differ or self.polarity_differs or self.direction_differs


def numbers(text: str) -> set[str]:
    out = set()
    for m in _NUMBER.finditer(text):
        v = m.group(1)
        try:
            out.add(repr(float(v)))
        except ValueError:
            continue
    return out


def negated(text: str) -> bool:
    return bool(_NEGATION.search(text))


def align(point: str, sentence: str) -> Alignment:
    p, s = point.lower(), sentence.lower()
    pn, sn = numbers(p), numbers(s)
    differ = bool(pn) and bool(sn) and not (pn & sn)
    # Opposite words that only one of the two texts has: "감소" only in the point, "증가" only
    # in the sentence (words both share, such as the "줄이면" of a condition, say nothing).
    direction = False
    for a, b in ANTONYMS:
        p_only = {w for w in a + b if w in p and w not in s}
        s_only = {w for w in a + b if w in s and w not in p}
        if (p_only & set(a) and s_only & set(b)) or (p_only & set(b) and s_only & set(a)):
            direction = True
            break
    return Alignment(differ, negated(p) != negated(s), direction)
