"""The loaded banks with their index and encoder: what grading and asking read from.

>>> kb = Knowledge.open(Settings())
>>> kb.question("deep-learning/12").question
'요즘 Sigmoid 보다 ReLU를 많이 쓰는데 그 이유는?'
"""

from __future__ import annotations

import difflib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar

import numpy as np

from index.bank import Bank, Question
from index.banks import load_banks
from index.cache import EmbeddingCache
from index.encoders import Encoder, get_encoder
from index.errors import InterviewError
from index.glossary import Glossary
from index.lexical import BM25
from index.store import VectorIndex, open_index

from .settings import BUNDLED_CONTENT, Settings

T = TypeVar("T")


@dataclass(frozen=True)
class Scope:
    """One bank's answered questions (`ids`), their reference vectors (a row each), and the bank's
    key-point vectors with the main question ('bank/12') each belongs to."""

    ids: list[str]
    references: np.ndarray
    points: np.ndarray
    point_family: np.ndarray


@dataclass
class Knowledge:
    banks: list[Bank]
    index: VectorIndex
    encoder: Encoder
    cache: EmbeddingCache
    settings: Settings = field(default_factory=Settings)
    _memo: dict = field(default_factory=dict, repr=False)
    _memo_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def open(cls, settings: Settings, encoder: Encoder | None = None, rebuild: bool = False) -> "Knowledge":
        """Load the banks of `settings.content` and their index (built or refreshed as needed)."""
        return cls.from_banks(load_banks(settings.content), settings, encoder, rebuild=rebuild)

    @classmethod
    def from_banks(cls, banks: list[Bank], settings: Settings, encoder: Encoder | None = None, rebuild: bool = False) -> "Knowledge":
        """Index banks that may not come from files (e.g. questions and references read from a CSV)."""
        encoder = encoder or get_encoder(settings.encoder)
        cache = EmbeddingCache(settings.cache_path)
        index = open_index(banks, encoder, settings.index_dir(encoder.name, [b.slug for b in banks]), cache, rebuild=rebuild)
        return cls(banks, index, encoder, cache, settings)

    @cached_property
    def questions(self) -> dict[str, Question]:
        return {q.id: q for b in self.banks for q in b.questions}

    @cached_property
    def answered_ids(self) -> list[str]:
        return [qid for qid, q in self.questions.items() if q.answered]

    def scope(self, bank: str) -> Scope:
        """The grading context of a question of `bank`: that bank's answered questions, with their
        reference and key-point vectors. A grade compares the answer with the question's own bank
        only, so adding or editing another bank does not change it (but for the glossary
        terms that bank brings); a bank of one question family
        (a batch file's single reference answer) has nothing to compare with, and borrows every
        bank's key points."""
        scopes = self.memo("scopes", dict)
        if bank not in scopes:
            ids = [qid for qid in self.answered_ids if self.questions[qid].bank == bank]
            refs = np.stack([self.index.vectors_of(qid, "reference")[0] for qid in ids]) if ids else np.zeros((0, 1), np.float32)
            points = [i for i, u in enumerate(self.index.units) if u.kind == "point"]
            rows = [i for i in points if self.questions[self.index.units[i].question_id].bank == bank]
            if len({self.questions[self.index.units[i].question_id].family_id for i in rows}) < 2:
                rows = points
            family = np.array([self.questions[self.index.units[i].question_id].family_id for i in rows])
            scopes[bank] = Scope(ids, refs, self.index.vectors[rows], family)
        return scopes[bank]

    @cached_property
    def bm25(self) -> BM25:
        """BM25 over each question's morphemes, in the order of `questions`."""
        return BM25([self.index.lexical.get(qid, []) for qid in self.questions])

    @cached_property
    def _baselines(self) -> dict[str, np.ndarray]:
        units = self.index.units
        rows = np.array([i for i, u in enumerate(units) if u.kind == "sentence"], dtype=np.int64)
        owner = np.array([units[i].question_id for i in rows])
        bank_of = np.array([self.questions[qid].bank for qid in owner])
        out = {}
        for qid in self.answered_ids:
            pv = self.index.vectors_of(qid, "point")
            other = rows[(owner != qid) & (bank_of == self.questions[qid].bank)]
            if not len(other):  # the only question of its bank: every other reference is its context
                other = rows[owner != qid]
            out[qid] = (pv @ self.index.vectors[other].T).max(axis=1) if len(other) and len(pv) else np.zeros(len(pv), np.float32)
        return out

    @cached_property
    def glossary(self) -> Glossary:
        """The content folder's glossary.txt, else the bundled one (its terms are the field's, not one bank's)."""
        folder = self.settings.content if self.settings.content.is_dir() else self.settings.content.parent
        path = folder / "glossary.txt"
        return Glossary.load(path if path.is_file() else BUNDLED_CONTENT / "glossary.txt", self.banks)

    def memo(self, key: str, factory: Callable[[], T]) -> T:
        """What `factory` returns, computed once per Knowledge: the concepts above keep their own
        derived state here (the fitted grader, the in-bank model) without this class knowing them."""
        with self._memo_lock:
            if key not in self._memo:
                self._memo[key] = factory()
            return self._memo[key]

    def point_baselines(self, question_id: str) -> np.ndarray:
        """For each key point of a question: how close the closest sentence of any *other* reference of its bank gets."""
        return self._baselines[question_id]

    def question(self, question_id: str) -> Question:
        """Return a question by id; the error suggests the closest ids when there is none."""
        q = self.questions.get(question_id)
        if q is None:
            hint = self.closest(question_id)
            raise InterviewError(
                f"unknown question id '{question_id}'"
                + (f": did you mean {hint}?" if hint else ": run 'interview bank dump --json' to list the ids")
            )
        return q

    def closest(self, question_id: str) -> str:
        """The ids closest to an unknown one, comma-separated (empty when none is close)."""
        ids = list(self.questions)
        candidates = difflib.get_close_matches(question_id, ids, n=3, cutoff=0.5)
        if not candidates and "/" not in question_id:
            anchor = question_id.lstrip("#")
            candidates = [i for i in ids if i.split("/", 1)[1] == anchor][:3]
        return ", ".join(candidates)

    def embed(self, texts: list[str], query: bool = True) -> np.ndarray:
        """Encode texts that are not part of the bank (answers, queries); not cached."""
        return self.encoder.encode(texts, query=query)
