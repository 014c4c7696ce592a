import math

import pytest

from eval.metrics import agreement, pass_accuracy, pearson, qwk, retrieval, rmse, spearman


def test_pearson_and_spearman_by_hand():
    # x = 1,2,3 and y = 1,3,2: mean 2 each; cov = (−1·−1 + 0·1 + 1·0)/3 = 1/3; var = 2/3 each -> r = 0.5
    assert pearson([1, 2, 3], [1, 3, 2]) == pytest.approx(0.5)
    assert spearman([10, 20, 30], [1, 3, 2]) == pytest.approx(0.5)
    # ties share their mean rank: ranks of (1,1,2) are (1.5,1.5,3)
    assert spearman([1, 1, 2], [1, 2, 3]) == pytest.approx(pearson([1.5, 1.5, 3], [1, 2, 3]))
    assert math.isnan(pearson([1, 1], [1, 2]))


def test_qwk_by_hand():
    assert qwk([0, 1, 2, 3, 4, 5], [0, 1, 2, 3, 4, 5]) == pytest.approx(1.0)
    # Two raters, two items: (0,1) and (1,0) on a 0..1 scale. Observed weighted disagreement = 2/2 = 1 per item pair...
    # O = [[0,1],[1,0]], E = outer([1,1],[1,1])/2 = 0.5 each, w = [[0,1],[1,0]] -> 1 - 2/1 = -1
    assert qwk([0, 1], [1, 0], low=0, high=1) == pytest.approx(-1.0)
    # rounding and clipping to 0..5 before counting
    assert qwk([4.6, -1, 0.4], [5, 0, 0]) == pytest.approx(1.0)


def test_rmse_and_pass_accuracy_by_hand():
    assert rmse([1, 2, 3], [1, 2, 5]) == pytest.approx(math.sqrt(4 / 3))
    assert pass_accuracy([2.9, 3.0, 5, 0], [3, 3, 4, 1]) == pytest.approx(0.75)
    a = agreement([1, 2, 3], [1, 2, 3])
    assert a["n"] == 3 and a["pearson"] == pytest.approx(1) and a["rmse"] == 0


def test_retrieval_metrics_by_hand():
    ranked = [["a", "b"], ["c", "a"], ["x", "y"], ["z"]]
    expected = ["a", "a", "b", None]
    accepted = [True, False, True, False]
    m = retrieval(ranked, expected, accepted)
    assert m["recall@1"] == pytest.approx(1 / 3)
    assert m["recall@5"] == pytest.approx(2 / 3)
    assert m["mrr@5"] == pytest.approx((1 + 0.5 + 0) / 3)
    assert m["rejection"] == 1.0 and m["false_rejection"] == pytest.approx(1 / 3)
