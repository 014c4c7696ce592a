"""Training the judge: a warm start begins from the given judge's layers and head, and replay mixes
in a share of the earlier pairs."""

import numpy as np

from app.judge.model import LABELS, Judge
from eval.judge.train import Pair, predict, train, with_replay

SIGMOID, DROPOUT = "Sigmoid 도함수의 최댓값은 0.25이다.", "드롭아웃은 추론할 때는 끄고 모든 뉴런을 사용한다."
PAIRS = [
    Pair("deep-learning/5", "deep-learning/5", SIGMOID, "시그모이드를 미분하면 가장 큰 값이 0.25예요.", 1),
    Pair("deep-learning/5", "deep-learning/5", SIGMOID, "GPU는 행렬 곱을 병렬로 처리합니다.", 0),
    Pair("deep-learning/16", "deep-learning/16", DROPOUT, "추론 때도 뉴런을 무작위로 꺼야 합니다.", 2),
    Pair("deep-learning/16", "deep-learning/16", DROPOUT, "At test time every unit is used.", 1),
]


def test_a_warm_start_begins_where_the_judge_left_off(tmp_path):
    judge = Judge(tmp_path)
    # No learning (rates 0): the network must then be the shipped judge, read back from its file.
    trained = train(PAIRS, trainable=2, epochs=1, lr=0.0, head_lr=0.0, init=judge)
    torch_p = predict(trained, PAIRS)
    engine_p = judge.probabilities([p.point for p in PAIRS], [p.sentence for p in PAIRS])
    assert np.abs(torch_p - engine_p).max() < 0.05
    # The same choice wherever the engine's choice is clear (Q4 blocks and torch differ by a little).
    top2 = np.sort(engine_p, axis=1)[:, -2:]
    clear = (top2[:, 1] - top2[:, 0]) > 0.1
    assert clear.sum() >= len(PAIRS) // 2
    assert list(torch_p.argmax(axis=1)[clear]) == list(engine_p.argmax(axis=1)[clear])
    assert trained.layers == judge.meta["layers"] and len(LABELS) == torch_p.shape[1]


def test_replay_keeps_the_new_pairs_and_a_share_of_the_old():
    old = [Pair("q", "q", "p", f"s{i}", 0) for i in range(10)]
    mixed = with_replay(PAIRS, old, 0.3)
    assert mixed[: len(PAIRS)] == PAIRS and len(mixed) == len(PAIRS) + 3
    assert all(p in old for p in mixed[len(PAIRS) :])
