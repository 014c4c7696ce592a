import numpy as np
import pytest

from index.encoders import E5Encoder, Encoder, FakeEncoder, SentenceTransformerEncoder, get_encoder
from index.errors import InterviewError


def test_fake_encoder_is_deterministic_normalised_and_lexical():
    enc = FakeEncoder(32)
    a = enc.encode(["the cat sat", "the cat sat", "quantum chromodynamics"])
    assert a.dtype == np.float32 and a.shape == (3, 32)
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(a[0], a[1])
    b = FakeEncoder(32).encode(["the cat", ""])
    assert b[0] @ a[0] > b[0] @ a[2]
    assert np.isfinite(b[1]).all()


@pytest.mark.parametrize(
    "spec, kind",
    [(None, E5Encoder), ("e5", E5Encoder), ("fake", FakeEncoder), ("fake:16", FakeEncoder), ("st:/some/path", SentenceTransformerEncoder)],
)
def test_get_encoder(spec, kind):
    enc = get_encoder(spec)
    assert isinstance(enc, kind) and isinstance(enc, Encoder)


def test_unknown_encoder_is_a_user_error():
    with pytest.raises(InterviewError, match="unknown encoder 'bert': use 'e5'"):
        get_encoder("bert")


def test_missing_st_model_is_a_user_error(tmp_path):
    enc = get_encoder("st:not-a-cached-model-xyz")
    with pytest.raises(InterviewError, match="cannot load sentence-transformers model 'not-a-cached-model-xyz'"):
        enc.encode(["x"])


@pytest.mark.slow
def test_e5_korean_similarity_is_meaningful():
    enc = get_encoder("e5")
    v = enc.encode(
        ["ReLU는 양수 구간에서 기울기가 1이다.", "ReLU의 양수 입력에 대한 미분값은 1이다.", "GPU 메모리는 배치 크기에 비례해 늘어난다."]
    )
    assert v.shape == (3, 384) and np.allclose(np.linalg.norm(v, axis=1), 1, atol=1e-5)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.03
    p = enc.encode(["ReLU는 양수 구간에서 기울기가 1이다."], query=False)
    assert not np.allclose(p[0], v[0])  # passages get the 'passage:' prefix


@pytest.mark.slow
def test_sentence_transformers_path_with_bundled_minilm():
    enc = get_encoder("st:all-MiniLM-L6-v2")
    assert enc.name == "st:all-MiniLM-L6-v2"
    v = enc.encode(["A cat sits on the mat.", "A kitten is sitting on a rug.", "Stock markets fell sharply today."])
    assert v.shape == (3, 384) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1, atol=1e-5)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.2
