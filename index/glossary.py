"""One glossary of terms: how candidates say a term next to the word the banks use.

>>> g = Glossary.load(Path("content/glossary.txt"), banks)
>>> g.expand("왜 요새는 시그모이드 대신 렐루를 써?")
'왜 요새는 시그모이드(Sigmoid) 대신 렐루(ReLU)를 써?'

Each term of `content/glossary.txt` lists its variants (Hangul transliterations, spoken
forms, abbreviations); the Korean name of an English term comes from the banks' own
`한국어(English)` pairs. `expand` adds the banks' term in parentheses after each variant it
finds, so the encoder and BM25 see the word the banks use while the user's text stays as
typed. The web app and the grader's evidence show the original text; only what is embedded
or searched is expanded.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .bank import Bank
from .errors import InterviewError
from .files import read_text

_PAIR = re.compile(r"([\uac00-\ud7a3]+(?: [\uac00-\ud7a3]+){0,2})\(([A-Za-z][A-Za-z0-9 .+/-]*?)\)")
# A word ending in one of these is a particle or a modifier ("깊은 신경망"), not part of a term.
_NOT_TERM_END = set("은는의와과을를이가로에한된큰서고며게도만던인")
_HANGUL = "\uac00-\ud7a3"


def korean_names(banks: Iterable[Bank]) -> dict[str, str]:
    """English term (lower case) -> the Korean name the banks give it most often: from 배치 정규화(batch normalization)."""
    seen: dict[str, Counter] = {}
    for bank in banks:
        for q in bank.questions:
            for m in _PAIR.finditer(q.answer_text):
                english = m.group(2).strip()
                words = m.group(1).split()
                n = min(len(english.split()), len(words))
                term = words[-n:]
                while len(term) > 1 and term[0][-1] in _NOT_TERM_END:
                    term = term[1:]
                seen.setdefault(english.lower(), Counter())[" ".join(term)] += 1
    return {e: c.most_common(1)[0][0] for e, c in seen.items()}


@dataclass(frozen=True)
class Glossary:
    labels: dict[str, tuple[str, ...]]  # variant (lower case) -> the banks' names of its term: ("배치 정규화", "batch normalization")

    @classmethod
    def parse(cls, text: str, names: dict[str, str] | None = None, path: str = "glossary") -> "Glossary":
        """Read 'term: variant, variant' lines ('#' starts a comment); `names`: English -> Korean from the banks."""
        labels: dict[str, tuple[str, ...]] = {}
        for no, line in enumerate(text.splitlines(), start=1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            term, sep, variants = line.partition(":")
            if not sep or not term.strip() or not variants.strip():
                raise InterviewError(f"{path}:{no}: a glossary line is 'term: variant, variant', got '{line[:40]}'")
            term = term.strip()
            korean = (names or {}).get(term.lower())
            label = (korean, term) if korean and korean != term else (term,)
            for v in variants.split(","):
                if v.strip():
                    labels[v.strip().lower()] = label
        return cls(labels)

    @classmethod
    def load(cls, path: Path, banks: Iterable[Bank] = ()) -> "Glossary":
        """The glossary file (an empty glossary when there is none), named with the banks' Korean terms."""
        if not path.is_file():
            return cls({})
        return cls.parse(read_text(path, "glossary file"), korean_names(banks), str(path))

    def expand(self, text: str) -> str:
        """`text` with the banks' term in parentheses after every variant (once; already glossed stays as is)."""
        if not self.labels or not text:
            return text
        pattern = self._pattern
        out, last = [], 0
        for m in pattern.finditer(text):
            end = m.end()
            said = m.group(0).lower()
            names = [n for n in self.labels.get(re.sub(r"\s+", " ", said), ()) if n.lower() != said]
            if not names or text[end : end + 1] == "(":
                continue
            out.append(text[last:end])
            out.append(f"({', '.join(names)})")
            last = end
        out.append(text[last:])
        return "".join(out)

    @cached_property
    def _pattern(self) -> re.Pattern:
        """Every variant, longest first; Hangul ones match at a word start with any ending after
        them (렐루를), Latin ones as whole words; spaces inside a variant match any white space."""
        alternatives = []
        for v in sorted(self.labels, key=len, reverse=True):
            body = r"\s*".join(re.escape(part) for part in v.split())
            end = "" if re.search(rf"[{_HANGUL}]$", v) else r"(?![A-Za-z0-9])"
            alternatives.append(rf"(?<![{_HANGUL}A-Za-z0-9])" + body + end)
        return re.compile("|".join(alternatives), re.I)
