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
