import math

import pytest

from app.stats.metrics import agreement, pass_accuracy, pearson, qwk, rmse, spearman


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


def test_sigmoid():
    import numpy as np

    from app.stats.metrics import sigmoid

    assert sigmoid(0.0) == pytest.approx(0.5)
    assert np.allclose(sigmoid(np.array([-np.log(3), np.log(3)])), [0.25, 0.75])


def test_aggregations_shared_by_the_web_app_and_the_report():
    from app.stats.summary import agreement_text, histogram, mean_by

    bins = histogram([0, 9, 10, 95, 100, 100])
    assert len(bins) == 10 and bins[0] == ("0-9", 2) and bins[1] == ("10-19", 1) and bins[-1] == ("90-100", 3)
    assert sum(n for _, n in bins) == 6 and bins[5] == ("50-59", 0)  # empty bins are listed
    means = mean_by([("a", 10), ("b", 5), ("a", 21)], lambda x: x[0], lambda x: x[1])
    assert means == {"a": (15.5, 2), "b": (5.0, 1)} and list(means) == ["a", "b"]
    text = agreement_text({"n": 3, "pearson": 0.98624, "spearman": 1.0, "qwk": 0.5, "rmse": 0.57735, "pass_accuracy": 1.0})
    assert text == "Pearson 0.986 · Spearman 1.000 · QWK 0.500 · RMSE 0.577 · pass accuracy 1.000"


def test_softmax_rows_sum_to_one_and_survive_large_logits():
    import numpy as np

    from app.stats.metrics import softmax

    p = softmax(np.array([[0.0, 0.0], [1000.0, 0.0]]))
    assert np.allclose(p, [[0.5, 0.5], [1.0, 0.0]]) and np.isfinite(p).all()
