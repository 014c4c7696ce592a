"""Spaced repetition: when a question is due again, by FSRS driven by the grade.

FSRS (the `fsrs` package, MIT) with its default parameters, which its authors fitted on the
review logs of about 10,000 users; nothing is fitted on ours. With those defaults it predicts
recall far better than SM-2 in the open srs-benchmark (log loss 0.339 against 0.547), so a new
user needs no review log of their own. Settings: desired retention 0.9; learning steps 1 and
10 minutes for a new question, a relearning step of 10 minutes after a failed one (so a question
answered badly comes back in the same sitting, not tomorrow); no fuzz (the same history always
gives the same schedule).

A grade becomes one of FSRS's four ratings by the grader's verdict bands (RATING_BANDS):
85 or more Easy, 65-84 Good, 40-64 Hard, below 40 Again (skipped, revealed and timed-out
questions score 0: Again). A hint costs one step (Easy -> Good -> Hard -> Again).

>>> card = review(Card(), rating("good"), now=0.0)
>>> card.state, round((card.due - 0.0) / 60)
('learning', 10)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

DAY = 86400.0
RATINGS = ("again", "hard", "good", "easy")
# (lowest score, rating), highest first: the grader's verdict bands (app.grading.grade.BANDS).
RATING_BANDS = ((85, "easy"), (65, "good"), (40, "hard"), (0, "again"))
STATES = {1: "learning", 2: "review", 3: "relearning"}
LEARNING_STEPS_MIN = (1, 10)
RELEARNING_STEPS_MIN = (10,)
DESIRED_RETENTION = 0.9


@dataclass(frozen=True)
class Card:
    """One question's review state. A new card (never answered) is due at once (`due` 0)."""

    state: str = "learning"
    step: int | None = 0  # the learning or relearning step, None in review
    stability: float | None = None  # days until recall falls to 90%
    difficulty: float | None = None  # 1 (easy) to 10 (hard)
    due: float = 0.0  # epoch seconds
    last_review: float | None = None
    reviews: int = 0

    @property
    def new(self) -> bool:
        return self.reviews == 0


def rating(score_or_rating: int | str, hint_used: bool = False) -> str:
    """A 0-100 score (or a rating name) as an FSRS rating; a hint costs one step."""
    if isinstance(score_or_rating, str):
        if score_or_rating not in RATINGS:
            raise ValueError(f"rating must be one of {', '.join(RATINGS)}, got {score_or_rating!r}")
        r = score_or_rating
    else:
        if not 0 <= score_or_rating <= 100:
            raise ValueError(f"score must be 0-100, got {score_or_rating}")
        r = next(name for bound, name in RATING_BANDS if score_or_rating >= bound)
    return RATINGS[max(0, RATINGS.index(r) - 1)] if hint_used else r


def _scheduler():
    from datetime import timedelta

    from fsrs import Scheduler

    return Scheduler(
        desired_retention=DESIRED_RETENTION,
        learning_steps=tuple(timedelta(minutes=m) for m in LEARNING_STEPS_MIN),
        relearning_steps=tuple(timedelta(minutes=m) for m in RELEARNING_STEPS_MIN),
        enable_fuzzing=False,
    )


_SCHEDULER = None


def _when(t: float | None) -> datetime | None:
    return None if t is None else datetime.fromtimestamp(t, tz=UTC)


def review(card: Card, rated: str, now: float) -> Card:
    """The card after one review rated `rated` (again, hard, good or easy) at time `now` (epoch seconds)."""
    global _SCHEDULER
    from fsrs import Card as FsrsCard
    from fsrs import Rating, State

    if rated not in RATINGS:
        raise ValueError(f"rating must be one of {', '.join(RATINGS)}, got {rated!r}")
    if _SCHEDULER is None:
        _SCHEDULER = _scheduler()
    state = {v: k for k, v in STATES.items()}[card.state]
    before = FsrsCard(
        state=State(state), step=card.step, stability=card.stability, difficulty=card.difficulty,
        due=_when(card.due if card.reviews else now), last_review=_when(card.last_review),
    )
    after, _ = _SCHEDULER.review_card(before, Rating(RATINGS.index(rated) + 1), review_datetime=_when(now))
    return Card(
        STATES[int(after.state)], after.step, after.stability, after.difficulty, after.due.timestamp(), now, card.reviews + 1
    )


def from_sm2(repetitions: int, interval: float, easiness: float, due: float, reviews: int) -> Card:
    """A card scheduled by the SM-2 of earlier versions, as an FSRS card that keeps its due time.

    SM-2's interval is the time it expected the answer to be still recalled, which is what FSRS's
    stability measures at 90% retention, so stability = interval. Its easiness (1.3 hardest, 2.5
    a new card, higher easier) maps linearly onto FSRS's difficulty (10 hardest, 1 easiest):
    2.5 -> 3.7, 1.3 -> 10. A card whose last answer failed (repetitions 0) is relearning."""
    difficulty = min(10.0, max(1.0, 1.0 + (3.0 - easiness) / (3.0 - 1.3) * 9.0))
    last = due - interval * DAY
    if reviews == 0:
        return Card(due=due)
    if repetitions == 0:
        return Card("relearning", 0, max(interval, 0.1), difficulty, due, last, reviews)
    return Card("review", None, max(interval, 0.1), difficulty, due, last, reviews)
