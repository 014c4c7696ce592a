"""Every graded attempt, the review schedule and unfinished interviews, per profile, in SQLite.

One file under the data root, in WAL mode; every write is one transaction, so a crash
leaves either the whole attempt (with its schedule update and the interview's saved step) or
none of it, and two answers to the same question at once both count in its schedule (the
schedule row is read inside the transaction that rewrites it). Every read is filtered by
profile: one profile never sees another's history.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TypeVar

from index.errors import InterviewError
from index.files import csv_cell

from .schedule import Card, from_sm2, rating, review

log = logging.getLogger("interview.history")

# The review schedule: one FSRS card per (profile, question) (app.practice.schedule.Card).
_SCHEDULE_TABLE = """
CREATE TABLE IF NOT EXISTS schedule (
    profile TEXT NOT NULL,
    question_id TEXT NOT NULL,
    state TEXT NOT NULL,
    step INTEGER,
    stability REAL,
    difficulty REAL,
    due REAL NOT NULL,
    last_review REAL,
    reviews INTEGER NOT NULL,
    PRIMARY KEY (profile, question_id)
)"""
SCHEMA = _SCHEDULE_TABLE + """;
CREATE TABLE IF NOT EXISTS attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    profile TEXT NOT NULL,
    question_id TEXT NOT NULL,
    topic TEXT NOT NULL DEFAULT '',
    answer TEXT NOT NULL,
    score INTEGER NOT NULL,
    verdict TEXT NOT NULL,
    missed TEXT NOT NULL DEFAULT '[]',
    hint_used INTEGER NOT NULL DEFAULT 0,
    session TEXT NOT NULL DEFAULT '',
    created_at REAL NOT NULL,
    seconds REAL,
    delivery TEXT NOT NULL DEFAULT '',
    points TEXT NOT NULL DEFAULT '',
    card_before TEXT NOT NULL DEFAULT '',
    overruled_score INTEGER,
    overruled_points TEXT NOT NULL DEFAULT '',
    overruled_at REAL
);
CREATE INDEX IF NOT EXISTS attempts_profile ON attempts (profile, created_at);
CREATE TABLE IF NOT EXISTS notes (
    profile TEXT NOT NULL,
    question_id TEXT NOT NULL,
    bookmarked INTEGER NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT '',
    updated_at REAL NOT NULL,
    PRIMARY KEY (profile, question_id)
);
CREATE TABLE IF NOT EXISTS sessions (
    token TEXT PRIMARY KEY,
    profile TEXT NOT NULL,
    state TEXT NOT NULL,
    updated_at REAL NOT NULL
);
"""
# Columns added after the first release, with their definitions: an older history file gets them on open.
ADDED_COLUMNS = {
    "seconds": "REAL",
    "delivery": "TEXT NOT NULL DEFAULT ''",
    "points": "TEXT NOT NULL DEFAULT ''",
    "card_before": "TEXT NOT NULL DEFAULT ''",
    "overruled_score": "INTEGER",
    "overruled_points": "TEXT NOT NULL DEFAULT ''",
    "overruled_at": "REAL",
}
EXPORT_COLUMNS = (
    "attempt", "created_at", "question_id", "topic", "score", "verdict", "hint_used", "seconds", "spoken", "missed",
    "overruled_score", "overruled_points", "answer",
)
# A key point's status as the grader gave it or as the user overruled it (app.judge.claims' names).
POINT_STATUSES = ("covered", "missed", "contradicted")
MAX_NOTE_CHARS = 5_000
CARD_COLUMNS = ("state", "step", "stability", "difficulty", "due", "last_review", "reviews")  # Card's fields, in order
T = TypeVar("T")


@dataclass(frozen=True)
class SessionStep:
    """The state of an unfinished interview to save under a browser token; `state` None clears it."""

    token: str
    profile: str
    state: dict | None


class History:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(self.path), check_same_thread=False, timeout=30, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._lock = threading.Lock()
        self._migrate_sm2()
        self._db.executescript(SCHEMA)
        have = {r["name"] for r in self._db.execute("PRAGMA table_info(attempts)")}
        for name, definition in ADDED_COLUMNS.items():
            if name not in have:
                self._db.execute(f"ALTER TABLE attempts ADD COLUMN {name} {definition}")

    def _migrate_sm2(self) -> None:
        """A history file from the SM-2 versions: its schedule rows become FSRS cards that keep
        their due times (`schedule.from_sm2`), in one transaction; the attempts are untouched."""
        columns = {r["name"] for r in self._db.execute("PRAGMA table_info(schedule)")}
        if "easiness" not in columns:
            return

        def work(cur: sqlite3.Cursor) -> None:
            old = cur.execute(
                "SELECT s.*, (SELECT COUNT(*) FROM attempts a WHERE a.profile = s.profile AND a.question_id = s.question_id) AS n "
                "FROM schedule s"
            ).fetchall()
            cur.execute("DROP TABLE schedule")
            cur.execute(_SCHEDULE_TABLE)
            for r in old:
                card = from_sm2(r["repetitions"], r["interval"], r["easiness"], r["due"], max(int(r["n"]), int(r["repetitions"])))
                _write_card(cur, r["profile"], r["question_id"], card)
            log.info("history %s: %d review schedule rows moved from SM-2 to FSRS", self.path, len(old))

        self._transaction(work)

    def _transaction(self, work: Callable[[sqlite3.Cursor], T]) -> T:
        """Run `work(cursor)` in one write transaction (reads inside it see no concurrent write)."""
        with self._lock:
            cur = self._db.cursor()
            cur.execute("BEGIN IMMEDIATE")
            try:
                result = work(cur)
                cur.execute("COMMIT")
                return result
            except BaseException:
                cur.execute("ROLLBACK")
                raise

    def _read(self, sql: str, params: tuple = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def record(
        self,
        profile: str,
        question_id: str,
        answer: str,
        score: int,
        verdict: str,
        missed: list[str],
        topic: str = "",
        hint_used: bool = False,
        session: str = "",
        now: float | None = None,
        step: SessionStep | Callable[[int], SessionStep | None] | None = None,
        seconds: float | None = None,
        delivery: dict | None = None,
        points: list[dict] | None = None,
    ) -> int:
        """Store one graded attempt, reschedule its question and save the interview's `step`, in one
        transaction; return the attempt id. `step` may be a function of the new attempt's id.
        `seconds`: how long the answer took; `delivery`: a spoken answer's delivery measures;
        `points`: the grader's key-point verdicts (`{"text", "status"}` each, in the question's
        order), which the user may overrule."""
        now = time.time() if now is None else now

        def work(cur: sqlite3.Cursor) -> int:
            before = self._card(cur, profile, question_id)
            card = review(before, rating(score, hint_used), now)
            cur.execute(
                "INSERT INTO attempts (profile, question_id, topic, answer, score, verdict, missed, hint_used, session, created_at, "
                "seconds, delivery, points, card_before) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    profile,
                    question_id,
                    topic,
                    answer,
                    int(score),
                    verdict,
                    json.dumps(missed, ensure_ascii=False),
                    int(hint_used),
                    session,
                    now,
                    None if seconds is None else float(seconds),
                    json.dumps(delivery, ensure_ascii=False) if delivery is not None else "",
                    json.dumps([{"text": p["text"], "status": p["status"]} for p in points], ensure_ascii=False) if points else "",
                    json.dumps(asdict(before)),
                ),
            )
            attempt = cur.lastrowid
            _write_card(cur, profile, question_id, card)
            saved = step(attempt) if callable(step) else step
            if saved is not None:
                _save_step(cur, saved)
            return attempt

        return self._transaction(work)

    @staticmethod
    def _card(cur: sqlite3.Cursor, profile: str, question_id: str) -> Card:
        row = cur.execute(
            f"SELECT {', '.join(CARD_COLUMNS)} FROM schedule WHERE profile = ? AND question_id = ?", (profile, question_id)
        ).fetchone()
        return Card(*row) if row else Card()

    def card(self, profile: str, question_id: str) -> Card:
        """The review state of one question (a new card when it was never answered)."""
        with self._lock:
            return self._card(self._db.cursor(), profile, question_id)

    def attempts(self, profile: str) -> list[dict]:
        """All attempts of a profile, oldest first. `score` is the one that counts (the user's when
        overruled), `graded_score` the grader's; `points` the grader's key-point verdicts and
        `overruled_points` the user's ({point text: status}, empty when not overruled)."""
        rows = self._read("SELECT * FROM attempts WHERE profile = ? ORDER BY created_at, id", (profile,))
        return [_attempt(r) for r in rows]

    def attempt(self, profile: str, attempt_id: int) -> dict:
        """One attempt of the profile, as `attempts()` gives it; an error when it has no such attempt."""
        rows = self._read("SELECT * FROM attempts WHERE profile = ? AND id = ?", (profile, int(attempt_id)))
        if not rows:
            raise InterviewError(f"no attempt {attempt_id} in profile '{profile}': see 'interview history list'", code="no_attempt")
        return _attempt(rows[0])

    def overrule(
        self, profile: str, attempt_id: int, score: int | None = None, points: dict[str, str] | None = None, now: float | None = None
    ) -> dict:
        """The user overrules an attempt's grade (`score`, 0-100) and/or key-point verdicts
        (`points`: {point text: covered|missed|contradicted}); a later overrule of the same attempt
        replaces the earlier one part by part. The grader's own grade stays beside it. The score
        that counts becomes the user's: in the averages, and in the review schedule when this is
        the question's latest attempt (its card is reviewed again from the state before the
        attempt, with the user's score). Returns the attempt as `attempt()` does."""
        now = time.time() if now is None else now
        if score is not None and not 0 <= int(score) <= 100:
            raise InterviewError(f"an overruled score must be from 0 to 100, got {score}", code="bad_score", score=score)

        def work(cur: sqlite3.Cursor) -> None:
            row = cur.execute("SELECT * FROM attempts WHERE profile = ? AND id = ?", (profile, int(attempt_id))).fetchone()
            if row is None:
                raise InterviewError(f"no attempt {attempt_id} in profile '{profile}': see 'interview history list'", code="no_attempt")
            known = [p["text"] for p in json.loads(row["points"] or "[]")]
            marked = json.loads(row["overruled_points"] or "{}")
            for text, status in (points or {}).items():
                if text not in known:
                    raise InterviewError(f"'{text}' is not a key point of attempt {attempt_id}", code="bad_point")
                if status not in POINT_STATUSES:
                    raise InterviewError(f"a key point is {', '.join(POINT_STATUSES)}, not '{status}'", code="bad_status")
                marked[text] = status
            new_score = row["overruled_score"] if score is None else int(score)
            cur.execute(
                "UPDATE attempts SET overruled_score = ?, overruled_points = ?, overruled_at = ? WHERE id = ?",
                (new_score, json.dumps(marked, ensure_ascii=False) if marked else "", now, row["id"]),
            )
            later = cur.execute(
                "SELECT COUNT(*) FROM attempts WHERE profile = ? AND question_id = ? AND (created_at > ? OR (created_at = ? AND id > ?))",
                (profile, row["question_id"], row["created_at"], row["created_at"], row["id"]),
            ).fetchone()[0]
            if score is not None and not later and row["card_before"]:
                card = review(Card(**json.loads(row["card_before"])), rating(int(score), bool(row["hint_used"])), row["created_at"])
                _write_card(cur, profile, row["question_id"], card)

        self._transaction(work)
        return self.attempt(profile, attempt_id)

    def labels(self, profile: str) -> list[dict]:
        """The overruled attempts as labelled answers in the format of `eval/data/points/*.jsonl`
        (question id, answer, covered and contradicted key points as 1-based numbers, grade 0-5),
        so that corrections can become training and evaluation data. A point the user did not
        overrule keeps the grader's verdict; the grade is the user's score when given, else absent."""
        out = []
        for a in self.attempts(profile):
            if not a["overruled"] or not a["points"]:
                continue
            status = [a["overruled_points"].get(p["text"], p["status"]) for p in a["points"]]
            row = {
                "question_id": a["question_id"],
                "answer": a["answer"],
                "covered": ";".join(str(i) for i, s in enumerate(status, 1) if s == "covered"),
                "contradicted": ";".join(str(i) for i, s in enumerate(status, 1) if s == "contradicted"),
            }
            if a["overruled_score"] is not None:
                row["grade"] = round(a["overruled_score"] / 20, 2)
            out.append({**row, "style": "user", "kind": "overruled", "writer": f"user:{profile}", "attempt": a["id"]})
        return out

    def due(self, profile: str, now: float | None = None) -> list[tuple[str, float]]:
        """(question id, due time) of the profile's reviewed questions that are due, most overdue first."""
        now = time.time() if now is None else now
        rows = self._read("SELECT question_id, due FROM schedule WHERE profile = ? AND due <= ? ORDER BY due", (profile, now))
        return [(r["question_id"], r["due"]) for r in rows]

    def schedule(self, profile: str) -> list[tuple[str, Card]]:
        """Every question the profile has answered, with its review card, soonest due first."""
        rows = self._read(f"SELECT question_id, {', '.join(CARD_COLUMNS)} FROM schedule WHERE profile = ? ORDER BY due", (profile,))
        return [(r["question_id"], Card(*(r[c] for c in CARD_COLUMNS))) for r in rows]

    def averages(self, profile: str) -> dict[str, tuple[float, int]]:
        """Per question: (mean score, attempts)."""
        rows = self._read(
            "SELECT question_id, AVG(COALESCE(overruled_score, score)) AS mean, COUNT(*) AS n FROM attempts WHERE profile = ? "
            "GROUP BY question_id",
            (profile,),
        )
        return {r["question_id"]: (float(r["mean"]), int(r["n"])) for r in rows}

    def export_csv(self, profile: str) -> str:
        """The profile's attempts as CSV text (UTF-8 with BOM when written, so Excel reads Korean);
        an answer that would start a spreadsheet formula is quoted."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(EXPORT_COLUMNS)
        for a in self.attempts(profile):
            row = dict(
                a,
                attempt=a["id"],
                created_at=time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(a["created_at"])),
                score=a["graded_score"],
                missed=" | ".join(a["missed"]),
                seconds="" if a["seconds"] is None else round(a["seconds"], 1),
                spoken=int(a["spoken"]),
                overruled_score="" if a["overruled_score"] is None else a["overruled_score"],
                overruled_points=" | ".join(f"{text}: {status}" for text, status in a["overruled_points"].items()),
            )
            writer.writerow([csv_cell(row[c]) for c in EXPORT_COLUMNS])
        return out.getvalue()

    def set_note(self, profile: str, question_id: str, bookmarked: bool | None = None, note: str | None = None) -> None:
        """Bookmark a question (or not) and keep a note on it, per profile; None leaves that part as it is."""

        def work(cur: sqlite3.Cursor) -> None:
            row = cur.execute("SELECT bookmarked, note FROM notes WHERE profile = ? AND question_id = ?", (profile, question_id)).fetchone()
            mark = bool(row[0]) if row and bookmarked is None else bool(bookmarked)
            text = (row[1] if row else "") if note is None else note[:MAX_NOTE_CHARS]
            cur.execute("INSERT OR REPLACE INTO notes VALUES (?, ?, ?, ?, ?)", (profile, question_id, int(mark), text, time.time()))

        self._transaction(work)

    def note(self, profile: str, question_id: str) -> tuple[bool, str]:
        """(bookmarked, note) of one question; (False, '') when it has neither."""
        rows = self._read("SELECT bookmarked, note FROM notes WHERE profile = ? AND question_id = ?", (profile, question_id))
        return (bool(rows[0]["bookmarked"]), rows[0]["note"]) if rows else (False, "")

    def notes(self, profile: str) -> list[tuple[str, bool, str]]:
        """(question id, bookmarked, note) of every question the profile bookmarked or wrote about, latest first."""
        rows = self._read(
            "SELECT question_id, bookmarked, note FROM notes WHERE profile = ? AND (bookmarked = 1 OR note != '') ORDER BY updated_at DESC",
            (profile,),
        )
        return [(r["question_id"], bool(r["bookmarked"]), r["note"]) for r in rows]

    def save_step(self, step: SessionStep) -> None:
        """Save (or, with no state, clear) an unfinished interview under its browser token."""
        self._transaction(lambda cur: _save_step(cur, step))

    def load_session(self, token: str) -> tuple[str, dict] | None:
        """(profile, state) of the unfinished interview saved under a browser token."""
        rows = self._read("SELECT profile, state FROM sessions WHERE token = ?", (token,))
        return (rows[0]["profile"], json.loads(rows[0]["state"])) if rows else None

    def close(self) -> None:
        self._db.close()


def _attempt(r: sqlite3.Row) -> dict:
    delivery = json.loads(r["delivery"]) if r["delivery"] else None
    marked = json.loads(r["overruled_points"]) if r["overruled_points"] else {}
    overruled = r["overruled_score"] is not None or bool(marked)
    points = json.loads(r["points"]) if r["points"] else []
    missed = json.loads(r["missed"])
    if marked:  # the points that count as missed are the user's
        missed = [p["text"] for p in points if marked.get(p["text"], p["status"]) == "missed"]
    return dict(
        r,
        missed=missed,
        hint_used=bool(r["hint_used"]),
        delivery=delivery,
        spoken=delivery is not None,
        points=points,
        graded_score=r["score"],
        score=r["score"] if r["overruled_score"] is None else r["overruled_score"],
        overruled_points=marked,
        overruled=overruled,
    )


def _write_card(cur: sqlite3.Cursor, profile: str, question_id: str, card: Card) -> None:
    marks = ", ".join("?" * (len(CARD_COLUMNS) + 2))
    cur.execute(
        f"INSERT OR REPLACE INTO schedule (profile, question_id, {', '.join(CARD_COLUMNS)}) VALUES ({marks})",
        (profile, question_id, *(getattr(card, c) for c in CARD_COLUMNS)),
    )


def _save_step(cur: sqlite3.Cursor, step: SessionStep) -> None:
    if step.state is None:
        cur.execute("DELETE FROM sessions WHERE token = ?", (step.token,))
    else:
        cur.execute(
            "INSERT OR REPLACE INTO sessions VALUES (?, ?, ?, ?)",
            (step.token, step.profile, json.dumps(step.state, ensure_ascii=False), time.time()),
        )
