"""FSRS with its default parameters, driven by the grade (app.practice.schedule)."""

import pytest

from app.practice.schedule import DAY, Card, from_sm2, rating, review

MIN = 60.0


@pytest.mark.parametrize(
    "score, hint, expected",
    [(100, False, "easy"), (85, False, "easy"), (84, False, "good"), (65, False, "good"), (64, False, "hard"), (40, False, "hard"),
     (39, False, "again"), (0, False, "again"), (90, True, "good"), (70, True, "hard"), (50, True, "again"), (0, True, "again")],
)
def test_a_grade_maps_to_a_rating_by_the_verdict_bands_and_a_hint_costs_a_step(score, hint, expected):
    assert rating(score, hint) == expected


def test_a_failed_new_question_comes_back_in_the_same_sitting_and_a_good_one_later():
    again, good = review(Card(), "again", now=0.0), review(Card(), "good", now=0.0)
    assert again.state == good.state == "learning"
    assert again.due == 1 * MIN and good.due == 10 * MIN  # the learning steps: 1 and 10 minutes
    assert review(Card(), "easy", now=0.0).state == "review"  # easy skips the steps


def test_intervals_grow_with_good_answers_and_a_lapse_relearns_in_minutes():
    c, now, gaps = Card(), 0.0, []
    for _ in range(4):
        c = review(c, "good", now)
        gaps.append(c.due - now)
        now = c.due
    assert c.state == "review" and gaps == sorted(gaps) and gaps[-1] > 5 * DAY
    lapsed = review(c, "again", now)
    assert lapsed.state == "relearning" and lapsed.due - now == 10 * MIN and lapsed.stability < c.stability
    assert lapsed.difficulty > c.difficulty and lapsed.reviews == 5


def test_easy_answers_space_further_than_hard_ones():
    base = review(review(Card(), "good", 0.0), "good", 10 * MIN)  # a card in review
    t = base.due
    assert review(base, "easy", t).due > review(base, "good", t).due > review(base, "hard", t).due > review(base, "again", t).due


def test_an_sm2_card_keeps_its_due_time_and_reads_its_interval_as_stability():
    c = from_sm2(repetitions=3, interval=15.0, easiness=2.5, due=1_000_000.0, reviews=3)
    assert (c.state, c.stability, c.due, c.reviews) == ("review", 15.0, 1_000_000.0, 3)
    assert c.last_review == 1_000_000.0 - 15 * DAY and 3 < c.difficulty < 4
    failed = from_sm2(repetitions=0, interval=1.0, easiness=1.3, due=5.0, reviews=2)
    assert failed.state == "relearning" and failed.difficulty == 10.0
    assert review(c, "good", c.due).due > c.due  # and FSRS schedules it on from there


@pytest.mark.parametrize("bad, fragment", [(101, "score must be 0-100"), (-1, "score must be 0-100"), ("great", "rating must be one of")])
def test_bad_ratings_are_refused(bad, fragment):
    with pytest.raises(ValueError, match=fragment):
        rating(bad)
    if isinstance(bad, str):
        with pytest.raises(ValueError, match=fragment):
            review(Card(), bad, now=0.0)
