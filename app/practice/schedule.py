"""Spaced repetition: when a question is due again, by SM-2 driven by the grade.

SM-2 (Wozniak 1990) because its input is a 0-5 quality, exactly the grader's scale; its
state is three numbers per question; and it needs no fitted parameters. FSRS predicts
recall better, but its weights are fitted on review logs, which a new user does not have.

>>> card = review(Card(), quality=4, now=0.0)
>>> card.interval, card.repetitions
(1.0, 1)
"""

from __future__ import annotations

from dataclasses import dataclass

DAY = 86400.0


@dataclass(frozen=True)
class Card:
    repetitions: int = 0
    interval: float = 0.0  # days
    easiness: float = 2.5
    due: float = 0.0  # epoch seconds; 0 = never reviewed, due now


def quality(score: int, hint_used: bool = False) -> int:
    """A 0-100 score as SM-2 quality 0-5; a hint costs one step."""
    q = max(0, min(5, round(score / 20)))
    return max(0, q - 1) if hint_used else q


def review(card: Card, quality: int, now: float) -> Card:
    """The card after one review of the given quality (0-5) at time `now`."""
    if not 0 <= quality <= 5:
        raise ValueError(f"quality must be 0-5, got {quality}")
    easiness = max(1.3, card.easiness + 0.1 - (5 - quality) * (0.08 + (5 - quality) * 0.02))
    if quality < 3:
        repetitions, interval = 0, 1.0
    else:
        repetitions = card.repetitions + 1
        interval = 1.0 if repetitions == 1 else 6.0 if repetitions == 2 else round(card.interval * easiness, 1)
    return Card(repetitions, interval, easiness, now + interval * DAY)
