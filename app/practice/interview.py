"""The mock-interview flow, without any UI: which question comes next, hints, skips, the summary.

>>> iv = start(kb, history, "minji", bank="deep-learning", mode="in-order", count=3)
>>> iv.current                                  # 'deep-learning/1'
>>> g = answer(kb, history, iv, "딥러닝은 ...")   # graded, stored, and iv.current moves on

After an answer, the interviewer follows up as a real one would: with the next unasked
sub-question of the same main question when the answer was good enough; else with the
question of the bank that best targets the first missed key point, when one is close
enough; otherwise with the next main question. At most MAX_FOLLOW_UPS per main question.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import numpy as np

from index.bank import Question
from index.banks import RESERVED
from index.errors import InterviewError

from ..grading.grade import Grade, grade
from ..stats.summary import mean_by
from .history import History, SessionStep

# Called after an answer or a skip has moved the interview on, with the interview and the grade
# (None for a skip): the interview's saved step, stored in the same transaction as the attempt.
StepSaver = Callable[["Interview", Grade | None], SessionStep | None]

MODES = ("in-order", "random", "weakest", "review", "cram")
ALL_BANKS = RESERVED  # "all": the bank value that draws questions from every loaded bank
# The bank an interview starts on unless one is chosen: the seed's deep-learning bank when loaded,
# else the first one.
PREFERRED_BANK = "deep-learning"
GOOD_ENOUGH = 65  # "good" or better: go deeper into the same topic
MAX_FOLLOW_UPS = 2
# A missed key point is followed up with another question only when that question (or one of
# its key points) is at least this close to it (e5 cosine). Over the bundled bank the closest other
# question to a key point scores 0.92 at the median and 0.95 at the 90th percentile: 0.94 keeps
# the follow-ups that restate the point (#12 -> #5 on ReLU), not the merely related.
TARGET_SIMILARITY = 0.94
# Per-answer time limits a mock interview may set (seconds): interview advice puts one answer
# at one to two minutes; shorter than 10 s leaves no time to think, over 10 minutes is no limit.
MIN_TIME_LIMIT, MAX_TIME_LIMIT = 10, 600
TIMED_OUT = "timed-out"  # the verdict of a question whose time ran out with nothing answered


@dataclass
class Turn:
    question_id: str
    answer: str
    score: int
    verdict: str
    hint_used: bool
    follow_up: bool
    topic: str
    seconds: float | None = None  # from the question to the answer (None for turns saved before timing)
    spoken: bool = False
    attempt: int | None = None  # the stored attempt's id (what an overrule names)
    overruled: bool = False  # the user overruled its grade or key points (`score` is then the user's)


@dataclass
class Interview:
    profile: str
    bank: str
    mode: str
    plan: list[str]  # main questions still to ask, in order
    current: str | None = None
    main: str | None = None  # the main question the current one belongs to
    follow_ups: int = 0
    hints: int = 0  # key points revealed for the current question
    turns: list[Turn] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)
    started_at: float = field(default_factory=time.time)
    finished: bool = False
    time_limit: float | None = None  # seconds per answer; None: untimed
    asked_at: float | None = None  # when the current question was put
    topics: list[str] = field(default_factory=list)  # the topics chosen at the start (empty: all)
    count: int = 0  # the number of main questions asked for

    def elapsed(self, now: float | None = None) -> float | None:
        """Seconds since the current question was put (None when nothing is asked)."""
        if self.current is None or self.asked_at is None:
            return None
        return max(0.0, (time.time() if now is None else now) - self.asked_at)

    def timed_out(self, now: float | None = None, grace: float = 0.0) -> bool:
        """Whether the current question's time limit has run out (`grace` seconds allowed over it)."""
        elapsed = self.elapsed(now)
        return bool(self.time_limit) and elapsed is not None and elapsed >= self.time_limit + grace

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "Interview":
        d = dict(d)
        d["turns"] = [Turn(**t) for t in d.get("turns", [])]
        return cls(**d)


def topic_of(q: Question) -> str:
    return q.topics[0] if q.topics else q.question


def in_bank(q: Question, bank: str) -> bool:
    """Whether `q` belongs to `bank` (every question does to ALL_BANKS)."""
    return bank == ALL_BANKS or q.bank == bank


def check_bank(kb, bank: str) -> str:
    """`bank` when it names one of the loaded banks (or ALL_BANKS); else an error listing them."""
    slugs = [b.slug for b in kb.banks]
    if bank != ALL_BANKS and bank not in slugs:
        raise InterviewError(f"unknown bank '{bank}': use one of {', '.join(slugs)} or '{ALL_BANKS}'")
    return bank


def default_bank(kb) -> str:
    slugs = [b.slug for b in kb.banks]
    return PREFERRED_BANK if PREFERRED_BANK in slugs else slugs[0]


def topics(kb, bank: str) -> list[str]:
    """The topics of a bank's main questions (of every bank's, for ALL_BANKS), in bank order."""
    seen: dict[str, None] = {}
    for q in kb.questions.values():
        if in_bank(q, bank) and q.parent is None and q.answered:
            seen.setdefault(topic_of(q), None)
    return list(seen)


def plan(
    kb,
    history: History,
    profile: str,
    bank: str,
    mode: str,
    count: int,
    chosen_topics: list[str] | None = None,
    seed: int | None = None,
    now: float | None = None,
    first: str | None = None,
) -> list[str]:
    """Choose the main questions of an interview; `first` (a question id) starts the order at its main question."""
    if mode not in MODES:
        raise InterviewError(f"unknown mode '{mode}': use one of {', '.join(MODES)}")
    if count < 1:
        raise InterviewError(f"the number of questions must be at least 1, got {count}")
    mains = [
        q.id
        for q in kb.questions.values()
        if in_bank(q, check_bank(kb, bank)) and q.parent is None and q.answered and (not chosen_topics or topic_of(q) in chosen_topics)
    ]
    if not mains:
        raise InterviewError(
            f"no answered main questions in bank '{bank}'" + (f" for topics {', '.join(chosen_topics)}" if chosen_topics else ""),
            code="no_questions",
        )
    if mode == "random":
        random.Random(seed).shuffle(mains)
    elif mode == "weakest":
        avg = history.averages(profile)
        # Never-tried questions count as weak as the weakest tried ones, tried ones by mean score.
        mains.sort(key=lambda qid: (avg.get(qid, (0.0, 0))[0], avg.get(qid, (0.0, 0))[1]))
    elif mode == "review":
        due = {kb.questions[qid].family_id for qid, _ in history.due(profile, now) if qid in kb.questions}
        mains = [qid for qid in mains if qid in due]
        if not mains:
            ahead = [(qid, c.due) for qid, c in history.schedule(profile) if qid in kb.questions]
            if ahead:
                qid, when = ahead[0]
                stamp = time.strftime("%Y-%m-%d %H:%M", time.localtime(when))
                raise InterviewError(
                    f"nothing is due for review yet: the next, {qid}, is due {stamp}; practise in another mode meanwhile",
                    code="nothing_due_next", qid=qid, when=stamp,
                )
            raise InterviewError("nothing is due for review yet: practise in another mode first", code="nothing_due")
    elif mode == "cram":  # every question practised before, due or not, the soonest due first
        order: dict[str, int] = {}
        for i, (qid, _) in enumerate(history.schedule(profile)):
            if qid in kb.questions:
                order.setdefault(kb.questions[qid].family_id, i)
        mains = sorted((qid for qid in mains if qid in order), key=order.get)
        if not mains:
            raise InterviewError("nothing practised yet to cram: answer some questions in another mode first", code="nothing_to_cram")
    if first is not None:
        main = kb.question(first).family_id
        if main not in mains:
            raise InterviewError(f"'{first}' is not among this interview's questions: pick one of bank '{bank}' (and of the chosen topics)")
        mains = mains[mains.index(main) :] + mains[: mains.index(main)]
    return mains[:count]


def start(
    kb,
    history: History,
    profile: str,
    bank: str,
    mode: str = "in-order",
    count: int = 5,
    chosen_topics: list[str] | None = None,
    seed: int | None = None,
    first: str | None = None,
    time_limit: float | None = None,
) -> Interview:
    """Begin an interview; `current` is the first question. `time_limit`: seconds per answer."""
    if time_limit is not None and not MIN_TIME_LIMIT <= time_limit <= MAX_TIME_LIMIT:
        raise InterviewError(f"the time limit must be from {MIN_TIME_LIMIT} to {MAX_TIME_LIMIT} seconds, got {time_limit:g}")
    order = plan(kb, history, profile, bank, mode, count, chosen_topics, seed, first=first)
    iv = Interview(profile=profile, bank=bank, mode=mode, plan=order[1:], current=order[0], main=order[0])
    iv.time_limit, iv.asked_at, iv.topics, iv.count = time_limit or None, time.time(), list(chosen_topics or []), count
    iv.asked.append(order[0])
    return iv


def answer(
    kb,
    history: History,
    iv: Interview,
    text: str,
    session: str = "",
    save: StepSaver | None = None,
    seconds: float | None = None,
    delivery: dict | None = None,
) -> Grade:
    """Grade the answer to the current question, move to the next question, and store the attempt
    (with the step that `save` returns, in one transaction). `seconds`: how long the answer took
    (by default since the question was put); `delivery`: the spoken answer's delivery measures."""
    if iv.current is None:
        raise InterviewError("the interview is over: start a new one")
    q = kb.question(iv.current)
    g = grade(kb, q.id, text)
    seconds = iv.elapsed() if seconds is None else seconds
    _record(kb, history, iv, q, text, g.score, g.verdict, g.missed, session, g, save, seconds, delivery)
    return g


def time_out(kb, history: History, iv: Interview, session: str = "", save: StepSaver | None = None) -> Question:
    """The time ran out with nothing answered: recorded as 0 ("timed-out") with the time taken, then move on."""
    if iv.current is None:
        raise InterviewError("the interview is over: start a new one")
    q = kb.question(iv.current)
    _record(kb, history, iv, q, "", 0, TIMED_OUT, list(q.points()), session, None, save, iv.elapsed())
    return q


def skip(kb, history: History, iv: Interview, verdict: str = "skipped", session: str = "", save: StepSaver | None = None) -> Question:
    """Give up the current question (skip, or show the answer): recorded as 0, then move on."""
    if iv.current is None:
        raise InterviewError("the interview is over: start a new one")
    q = kb.question(iv.current)
    _record(kb, history, iv, q, "", 0, verdict, list(q.points()), session, None, save, iv.elapsed())
    return q


def _record(
    kb,
    history: History,
    iv: Interview,
    q: Question,
    text: str,
    score: int,
    verdict: str,
    missed: list[str],
    session: str,
    g: Grade | None,
    save: StepSaver | None,
    seconds: float | None = None,
    delivery: dict | None = None,
) -> None:
    """Add the turn, move on, and store the attempt with the saved step in one transaction."""
    # A follow-up counts under its own family's topic (a targeted one comes from another family).
    hint_used, topic = iv.hints > 0, topic_of(kb.questions[q.family_id])
    seconds = None if seconds is None else round(float(seconds), 1)
    turn = Turn(q.id, text, score, verdict, hint_used, q.id != iv.main, topic, seconds, delivery is not None)
    iv.turns.append(turn)
    _advance(kb, iv, g)
    points = [{"text": k.text, "status": k.status} for k in g.key_points] if g is not None else [
        {"text": p, "status": "missed"} for p in q.points()
    ]

    def step(attempt: int) -> SessionStep | None:  # built once the attempt has its id, so the saved turn holds it
        turn.attempt = attempt
        return save(iv, g) if save else None

    history.record(
        iv.profile,
        q.id,
        text,
        score,
        verdict,
        missed,
        topic=topic,
        hint_used=hint_used,
        session=session,
        seconds=seconds,
        delivery=delivery,
        step=step,
        points=points,
    )


def retry(kb, iv: Interview) -> str:
    """Put the last answered question again at once ("try again"); the question it displaced is
    asked after it (a main question goes back to the front of the plan; a follow-up is chosen
    again from the new answer). Returns the question id."""
    if not iv.turns:
        raise InterviewError("nothing answered yet to try again", code="nothing_to_retry")
    last = iv.turns[-1]
    displaced = iv.current
    if displaced is not None and displaced != last.question_id:
        if displaced == iv.main:  # a main question taken from the plan: it goes back to its front
            iv.plan.insert(0, displaced)
        if displaced in iv.asked:
            iv.asked.reverse()
            iv.asked.remove(displaced)
            iv.asked.reverse()
    # The main question of the retried one, and how many follow-ups it had had by then.
    mains = [i for i, tn in enumerate(iv.turns) if not tn.follow_up]
    start = mains[-1] if mains else 0
    iv.main = iv.turns[start].question_id
    iv.follow_ups = sum(1 for tn in iv.turns[start + 1 :] if tn.follow_up)
    iv.current, iv.hints, iv.finished, iv.asked_at = last.question_id, 0, False, time.time()
    iv.asked.append(last.question_id)
    return last.question_id


GAVE_UP = ("skipped", "revealed", TIMED_OUT)  # verdicts of turns with no answer to overrule


def last_graded(iv: Interview) -> Turn | None:
    """The interview's last turn when it graded an answer (what the user may overrule), else None."""
    last = iv.turns[-1] if iv.turns else None
    return last if last is not None and last.attempt is not None and last.verdict not in GAVE_UP else None


def overrule(history: History, iv: Interview, score: int | None = None, covered: list[str] | None = None) -> dict:
    """The user overrules the last graded answer: its score (0-100) and which key points it states
    (`covered`: the point texts the answer does state; a point left out that the grader had covered
    becomes missed, the others keep the grader's verdict). Stored beside the attempt
    (`History.overrule`); the turn's score becomes the user's. Returns the attempt."""
    turn = last_graded(iv)
    if turn is None:
        raise InterviewError("no graded answer to overrule: answer a question first", code="nothing_to_overrule")
    before = history.attempt(iv.profile, turn.attempt)
    points = None
    if covered is not None:
        unknown = set(covered) - {p["text"] for p in before["points"]}
        if unknown:
            raise InterviewError(f"not a key point of this question: {sorted(unknown)[0]}", code="bad_point")
        points = {}
        for p in before["points"]:
            now = before["overruled_points"].get(p["text"], p["status"])
            wanted = "covered" if p["text"] in covered else ("missed" if now == "covered" else now)
            if wanted != now or p["text"] in before["overruled_points"]:
                points[p["text"]] = wanted
    changed_score = score is not None and int(score) != before["score"]
    after = history.overrule(iv.profile, turn.attempt, score=int(score) if changed_score else None, points=points)
    turn.score, turn.overruled = after["score"], after["overruled"]
    return after


def hint(kb, iv: Interview) -> str | None:
    """Reveal the next key point of the current question (None when all are shown); the attempt records it."""
    if iv.current is None:
        return None
    points = kb.question(iv.current).points()
    if iv.hints >= len(points):
        return None
    iv.hints += 1
    return points[iv.hints - 1]


def end(iv: Interview) -> None:
    iv.current = None
    iv.finished = True


def _advance(kb, iv: Interview, g: Grade | None) -> None:
    iv.hints = 0
    nxt = follow_up(kb, iv, g) if g is not None and iv.follow_ups < MAX_FOLLOW_UPS else None
    if nxt:
        iv.follow_ups += 1
    elif iv.plan:
        nxt = iv.plan.pop(0)
        iv.main, iv.follow_ups = nxt, 0
    iv.current = nxt
    if nxt:
        iv.asked.append(nxt)
        iv.asked_at = time.time()
    else:
        iv.finished = True


def follow_up(kb, iv: Interview, g: Grade) -> str | None:
    """The follow-up question after grade `g`, or None to go on with the next main question."""
    asked = set(iv.asked) | set(iv.plan)
    if g.score >= GOOD_ENOUGH:
        children = [c.id for c in kb.questions.values() if c.parent_id == iv.main and c.answered and c.id not in asked]
        return children[0] if children else None
    if not g.missed:
        return None
    # Target the first missed key point: the unasked question closest to it.
    row = kb.index.texts_of(g.question_id, "point").index(g.missed[0]) if g.missed[0] in kb.index.texts_of(g.question_id, "point") else None
    if row is None:
        return None
    target = kb.index.vectors_of(g.question_id, "point")[row]
    best, best_sim = None, TARGET_SIMILARITY
    for qid, q in kb.questions.items():
        if qid in asked or not q.answered or not in_bank(q, iv.bank):
            continue
        vecs = np.vstack([kb.index.vectors_of(qid, "question"), kb.index.vectors_of(qid, "point")])
        sim = float((vecs @ target).max())
        if sim > best_sim:
            best, best_sim = qid, sim
    return best


def summary(kb, iv: Interview) -> dict:
    """Rows per answered question, the mean score, and the mean per topic."""
    rows = [
        {
            "question_id": t.question_id,
            "question": kb.questions[t.question_id].question,
            "score": t.score,
            "verdict": t.verdict,
            "hint": t.hint_used,
            "follow_up": t.follow_up,
            "topic": t.topic,
            "seconds": t.seconds,
            "spoken": t.spoken,
            "overruled": t.overruled,
        }
        for t in iv.turns
    ]
    return {
        "rows": rows,
        "mean": round(sum(t.score for t in iv.turns) / len(iv.turns), 1) if iv.turns else 0.0,
        "topics": {k: m for k, (m, _) in mean_by(iv.turns, lambda t: t.topic, lambda t: t.score).items()},
    }
