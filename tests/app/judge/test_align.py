"""Numbers, directions and polarity that differ between a key point and a sentence."""

from app.judge.align import align, negated, numbers


def test_numbers():
    assert numbers("최댓값은 0.25이고 1/4이다") >= {repr(0.25), repr(1.0), repr(4.0)}
    assert align("Sigmoid 도함수의 최댓값은 0.25이다", "시그모이드 미분의 최댓값은 1입니다").numbers_differ
    assert not align("Sigmoid 도함수의 최댓값은 0.25이다", "최대 0.25라서 곱할수록 작아집니다").numbers_differ
    assert not align("Sigmoid 도함수의 최댓값은 0.25이다", "그래서 기울기가 사라집니다").numbers_differ  # no number: nothing differs


def test_polarity():
    assert negated("기울기 소실이 생기지 않는다") and negated("ReLU는 포화되지 않습니다") and negated("it does not saturate")
    assert not negated("가중치를 없애는 것이 아니라 줄인다".replace("아니라", "대신"))
    assert not negated("L2 정규화는 가중치를 작게 만든다")
    assert align("ReLU는 양수 구간에서 포화되지 않는다", "ReLU도 양수에서 포화됩니다").polarity_differs


def test_direction():
    assert align("학습률을 줄이면 진동이 감소한다", "학습률을 줄이면 진동이 증가합니다").direction_differs
    assert align("드롭아웃은 학습 때만 켠다", "드롭아웃은 추론 때 켭니다").direction_differs
    assert not align("학습률을 줄이면 진동이 감소한다", "학습률이 작으면 진동이 감소합니다").direction_differs
