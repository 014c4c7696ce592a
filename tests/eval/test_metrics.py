import pytest

from eval.metrics import retrieval


def test_retrieval_metrics_by_hand():
    ranked = [["a", "b"], ["c", "a"], ["x", "y"], ["z"]]
    expected = ["a", "a", "b", None]
    accepted = [True, False, True, False]
    m = retrieval(ranked, expected, accepted)
    assert m["recall@1"] == pytest.approx(1 / 3)
    assert m["recall@5"] == pytest.approx(2 / 3)
    assert m["mrr@5"] == pytest.approx((1 + 0.5 + 0) / 3)
    assert m["rejection"] == 1.0 and m["false_rejection"] == pytest.approx(1 / 3)


def test_tick_metrics_by_hand():
    from eval.metrics import ticks

    # answer 1: predicted {1, 2}, labelled {1, 3}; answer 2: predicted {}, labelled {2}; answer 3: both empty
    m = ticks([{1, 2}, set(), set()], [{1, 3}, {2}, set()])
    assert m["predicted"] == 2 and m["labelled"] == 3
    assert m["precision"] == pytest.approx(1 / 2) and m["recall"] == pytest.approx(1 / 3)
    assert m["f1"] == pytest.approx(2 * (1 / 2) * (1 / 3) / (1 / 2 + 1 / 3))
    nothing = ticks([set()], [{1}])
    assert nothing["recall"] == 0.0 and nothing["precision"] != nothing["precision"]  # NaN: no tick to judge
