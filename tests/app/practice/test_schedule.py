import pytest

from app.practice.schedule import DAY, Card, quality, review


def test_sm2_intervals_grow_with_good_answers_and_reset_on_bad_ones():
    c = review(Card(), 5, now=0)
    assert (c.repetitions, c.interval, c.due) == (1, 1.0, DAY)
    c = review(c, 5, now=c.due)
    assert (c.repetitions, c.interval) == (2, 6.0)
    c3 = review(c, 4, now=c.due)
    assert c3.repetitions == 3 and c3.interval == round(6.0 * c3.easiness, 1)
    failed = review(c3, 1, now=c3.due)
    assert (failed.repetitions, failed.interval) == (0, 1.0) and failed.easiness < c3.easiness


def test_easiness_never_falls_below_1_3():
    c = Card()
    for _ in range(20):
        c = review(c, 0, now=0)
    assert c.easiness == pytest.approx(1.3)


@pytest.mark.parametrize("score, hint, q", [(100, False, 5), (69, False, 3), (70, False, 4), (0, False, 0), (100, True, 4), (0, True, 0)])
def test_quality_from_score(score, hint, q):
    assert quality(score, hint) == q


def test_bad_quality_is_refused():
    with pytest.raises(ValueError, match="quality must be 0-5"):
        review(Card(), 6, now=0)
