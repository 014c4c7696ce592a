"""Markdown question banks (the format in content/README.md) parsed into pydantic models.

Reading bank files from disk is `index.banks`; this module is the format itself: its models
and its parser (a little over 300 lines, kept together because every rule of
content/README.md lives in one of the two).

>>> bank, problems = parse_bank(text, slug="deep-learning")
>>> q = bank.get("deep-learning/12-1")
>>> q.parent_id, len(q.key_points)
('deep-learning/12', 4)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from .text import FENCE as _FENCE
from .text import plain_text, sentences

_ANCHOR = re.compile(r"^##\s+#?(\d+(?:-\d+)*)\s*$")
_H2 = re.compile(r"^##\s+\S")
_H1 = re.compile(r"^#\s+(.+?)\s*#*\s*$")
_HEADING = re.compile(r"^(#{3,5})\s+(.+?)\s*#*\s*$")
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.*)$")
# [title](url "optional title"); the title may hold one level of brackets ("[[책] 장 제목](url)").
_LINK = re.compile(r"\[((?:[^\[\]]|\[[^\[\]]*\])+)\]\((\S+?)(?:\s+\"[^\"]*\")?\)")
_ARROW = re.compile(r"\s+(?:→|->)\s+")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")

SECTIONS = {
    "key points": "key_points",
    "key point": "key_points",
    "misconceptions": "misconceptions",
    "misconception": "misconceptions",
    "topics": "topics",
    "topic": "topics",
    "references": "references",
    "reference": "references",
}


class Reference(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    title: str
    url: str | None = None


class Misconception(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    claim: str
    correction: str | None = None


class Question(BaseModel):
    """One entry of a bank. `answer` is markdown; `answer_text` is its plain text."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str
    bank: str
    anchor: str
    parent: str | None
    question: str
    answer: str
    key_points: tuple[str, ...] = ()
    misconceptions: tuple[Misconception, ...] = ()
    topics: tuple[str, ...] = ()
    references: tuple[Reference, ...] = ()
    line: int = 0
    main: str | None = None  # the anchor of the main question it belongs to (set by the parser)

    @property
    def parent_id(self) -> str | None:
        return f"{self.bank}/{self.parent}" if self.parent else None

    @property
    def family_id(self) -> str:
        """The main question this one belongs to: 'bank/12' for 12, 12-1 and 12-1-2."""
        if self.main:
            return f"{self.bank}/{self.main}"
        return self.id if self.parent is None else f"{self.bank}/{self.anchor.split('-')[0]}"

    @property
    def answered(self) -> bool:
        return bool(self.answer_text)

    @property
    def answer_text(self) -> str:
        return plain_text(self.answer)

    def points(self) -> tuple[str, ...]:
        """The key points to grade against: the written ones, else the answer's sentences."""
        return self.key_points or tuple(sentences(self.answer_text, min_chars=8))


class Bank(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    slug: str
    title: str
    path: str
    questions: tuple[Question, ...]

    def get(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def children(self, question_id: str) -> list[Question]:
        return [q for q in self.questions if q.parent_id == question_id]


@dataclass(frozen=True)
class Problem:
    """A lint finding: `file:line: severity: message`."""

    path: str
    line: int
    severity: str  # "error" or "warning"
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"


@dataclass
class _Entry:
    anchor: str
    line: int
    question: str | None = None
    section: str = "head"
    answer: list[str] | None = None
    parts: dict[str, list[tuple[int, str]]] | None = None

    def __post_init__(self) -> None:
        self.answer = []
        self.parts = {name: [] for name in set(SECTIONS.values())}


def parse_bank(text: str, slug: str, path: str = "<string>") -> tuple[Bank, list[Problem]]:
    """Parse bank markdown; return the bank and the problems found (nothing is raised)."""
    problems: list[Problem] = []
    if not _SLUG.match(slug):
        problems.append(Problem(path, 1, "error", f"bank name '{slug}' must match [a-z0-9][a-z0-9_-]*: rename the file"))
    title: str | None = None
    entries: list[_Entry] = []
    cur: _Entry | None = None
    in_fence = False
    for no, line in enumerate(text.splitlines(), start=1):
        if in_fence or _FENCE.match(line):
            if _FENCE.match(line):
                in_fence = not in_fence
            if cur is not None and cur.section == "answer":
                cur.answer.append(line)
            continue
        anchor = _ANCHOR.match(line)
        if anchor:
            cur = _Entry(anchor.group(1), no)
            entries.append(cur)
            continue
        if cur is None:
            h1 = _H1.match(line)
            if h1 and title is None:
                title = h1.group(1)
            continue
        if line.strip() == "---":
            cur.section = "closed"
            continue
        if cur.section == "closed":
            if line.strip():
                problems.append(
                    Problem(path, no, "warning", f"text after the '---' that ends #{cur.anchor} is ignored: start a new entry with '## #N'")
                )
            continue
        if _H2.match(line):
            problems.append(
                Problem(
                    path,
                    no,
                    "warning",
                    f"heading '{line.strip()}' is not an entry anchor ('## #N' or '## #N-M'); the text up to the next anchor is ignored",
                )
            )
            cur.section = "closed"
            continue
        heading = _HEADING.match(line)
        if heading:
            name = heading.group(2).strip().lower()
            if name in SECTIONS:
                cur.section = SECTIONS[name]
                continue
            if cur.question is None:
                cur.question = heading.group(2).strip()
                cur.section = "answer"
                continue
        if cur.section == "answer":
            cur.answer.append(line)
        elif cur.section == "head":
            if line.strip():
                problems.append(
                    Problem(path, no, "error", f"#{cur.anchor}: expected the question as a '####' heading, found '{line.strip()[:40]}'")
                )
                cur.section = "answer"
                cur.answer.append(line)
        else:
            cur.parts[cur.section].append((no, line))
    return _build(slug, title or slug, path, entries, problems)


def _build(slug: str, title: str, path: str, entries: list[_Entry], problems: list[Problem]) -> tuple[Bank, list[Problem]]:
    kept = _kept_entries(entries, path, problems)
    parents = _parents(kept, path, problems)
    questions: list[Question] = []
    for e in kept:
        answer = "\n".join(e.answer).strip()
        key_points = _bullets(e.parts["key_points"])
        misconceptions = tuple(_misconception(b) for b in _bullets(e.parts["misconceptions"]))
        topics = tuple(t.strip() for line in _bullets(e.parts["topics"], loose=True) for t in line.split(",") if t.strip())
        main = e.anchor
        while parents[main] is not None:
            main = parents[main]
        q = Question(
            id=f"{slug}/{e.anchor}",
            bank=slug,
            anchor=e.anchor,
            parent=parents[e.anchor],
            question=e.question,
            answer=answer,
            key_points=key_points,
            misconceptions=misconceptions,
            topics=topics,
            references=_references(e.parts["references"]),
            line=e.line,
            main=main,
        )
        if not q.answered:
            message = f"#{e.anchor} has no answer: it is kept but left out of grading until one is written"
            problems.append(Problem(path, e.line, "warning", message))
        elif not key_points:
            message = f"#{e.anchor} has no key points: the grader derives them from the answer's sentences; add '#### Key points'"
            problems.append(Problem(path, e.line, "warning", message))
        questions.append(q)
    if not entries:
        problems.append(Problem(path, 1, "error", "no entries found: each question starts with an anchor line '## #N'"))
    by_anchor = {q.anchor: q for q in questions}
    questions = [_inherit_topics(q, by_anchor) for q in questions]
    problems.sort(key=lambda p: p.line)
    return Bank(slug=slug, title=title, path=path, questions=tuple(questions)), problems


def _kept_entries(entries: list[_Entry], path: str, problems: list[Problem]) -> list[_Entry]:
    """The entries that become questions: the first of each anchor, with a question heading."""
    kept, seen = [], {}
    for e in entries:
        if e.anchor in seen:
            message = f"duplicate anchor #{e.anchor} (first at line {seen[e.anchor]}): give each entry its own anchor"
            problems.append(Problem(path, e.line, "error", message))
        elif e.question is None:
            problems.append(Problem(path, e.line, "error", f"#{e.anchor} has no question heading: add '#### <question>' under the anchor"))
        else:
            seen[e.anchor] = e.line
            kept.append(e)
    return kept


def _parents(kept: list[_Entry], path: str, problems: list[Problem]) -> dict[str, str | None]:
    """Each anchor's parent anchor ('12-1' -> '12'). A follow-up whose parent is not in the file (real
    banks number sub-questions '#2-1' without a '#2') is kept as a main question, with a warning."""
    anchors = {e.anchor for e in kept}
    parents: dict[str, str | None] = {}
    for e in kept:
        parent = e.anchor.rsplit("-", 1)[0] if "-" in e.anchor else None
        if parent and parent not in anchors:
            message = (
                f"#{e.anchor} looks like a follow-up of #{parent}, which is not in this file: "
                f"it is kept as a main question; add '## #{parent}' or renumber"
            )
            problems.append(Problem(path, e.line, "warning", message))
            parent = None
        parents[e.anchor] = parent
    return parents


def _inherit_topics(q: Question, by_anchor: dict[str, Question]) -> Question:
    """Give a follow-up without topics those of its nearest ancestor that has some."""
    parent = by_anchor.get(q.parent) if q.parent else None
    while not q.topics and parent is not None:
        if parent.topics:
            return q.model_copy(update={"topics": parent.topics})
        parent = by_anchor.get(parent.parent) if parent.parent else None
    return q


def _bullets(lines: list[tuple[int, str]], loose: bool = False) -> tuple[str, ...]:
    """Collect bullet items, joining indented continuation lines; `loose` also takes plain lines."""
    items: list[str] = []
    for _, line in lines:
        if not line.strip():
            continue
        bullet = _BULLET.match(line)
        if bullet:
            items.append(bullet.group(1).strip())
        elif items and (line.startswith((" ", "\t")) or not loose):
            items[-1] = f"{items[-1]} {line.strip()}"
        else:
            items.append(line.strip())
    return tuple(i for i in items if i)


def _misconception(item: str) -> Misconception:
    parts = _ARROW.split(item, maxsplit=1)
    return Misconception(claim=parts[0].strip(), correction=parts[1].strip() if len(parts) > 1 else None)


def _references(lines: list[tuple[int, str]]) -> tuple[Reference, ...]:
    refs: list[Reference] = []
    for item in _bullets(lines, loose=True):
        links = _LINK.findall(item)
        if links:
            refs.extend(Reference(title=plain_text(t) or u, url=u) for t, u in links)
        else:
            refs.append(Reference(title=plain_text(item)))
    return tuple(refs)
