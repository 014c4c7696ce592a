"""Grade a free-form answer against a question's reference answer and key points.

>>> g = grade(kb, "deep-learning/12", "ReLU는 양수 구간의 기울기가 1이라서 기울기 소실이 덜합니다.")
>>> g.score, g.verdict, g.missed[:1]

How: `app.grading.signals` measures the answer (similarity to the reference compared with the
other references, key-point coverage sentence by sentence against each point's baseline,
lexical overlap, length, misconception matches), and the model fitted on graded answers
(`app.grading.scoring`) turns the measurements into 0-5, shown as 0-100. Answers that say nothing
("모르겠습니다", empty, a copy of the question) score 0 with a message; an answer that fits
another question better is flagged with that entry; a detected misconception caps the grade.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import asdict, dataclass, field

from index.bank import Question
from index.errors import InterviewError
from index.text import normalize

from ..core.limits import MAX_GRADED_CHARS
from ..judge.claims import CONTRADICTED, COVERED, MISSED
from .scoring import ScoreModel, model_for
from .signals import Measured, MisconceptionHit, measure

# Score bands: the lowest score of each verdict, and the colour the web app and reports show it in.
BANDS = ((85, "excellent", "#15803d"), (65, "good", "#0f766e"), (40, "partial", "#b45309"), (0, "insufficient", "#b91c1c"))
# An answer "reads like an answer to #N" when another question's reference (outside its own
# family of follow-ups) is closer than its own by more than this, and it covers none of its
# key points. Measured on eval/data: answers to other questions sit below -0.03, paraphrases
# above. The flag adds a message and a citation; it does not cap the score (the model already
# weighs the margin), since on the Mohler answers, whose questions are close neighbours, a
# cap cost 0.1 of Pearson.
OFF_TOPIC_MARGIN = -0.03
# A detected misconception caps the score at 20 (1 of 5): the grading guide caps a wrong
# claim at 2 and a wrong central claim at 1, and stating one of the bank's known wrong claims
# must rank below stating nothing right (NOTHING_COVERED_CAP). Question-wise CV on eval/data
# (before the judge): cap 60 -> Spearman 0.8499, 40 -> 0.8504, 30 -> 0.8511, 20 -> 0.8510 (the
# detector flags few answers, precisely).
MISCONCEPTION_CAP = 20
# The key-point verdicts bound the score: an answer that states none of the points scores at
# most 30, one that states a wrong version of any point at most 40 (the grading guide:
# a wrong claim caps a grade at 2 of 5).
NOTHING_COVERED_CAP = 30
CONTRADICTED_CAP = 40
_DONT_KNOW = re.compile(
    r"(모르겠|모릅니다|몰라|모름|잘 모르|기억이 (?:안|나지)|생각이 (?:안|나지)|공부(?:를)? (?:못|안)|넘어가|"
    r"i don'?t know|i do not know|no idea|not sure|\bidk\b)",
    re.I,
)
# Words that mean "skip" only when they are the whole answer ("pass" is also a technical verb).
_SKIP = {"pass", "skip", "패스", "스킵", "넘어갈게요", "넘어가겠습니다"}


@dataclass(frozen=True)
class KeyPoint:
    """One key point's verdict: `covered` (the answer states it), `contradicted` (it states a
    wrong version: the point's text is then the correct claim) or `missed`."""

    text: str
    status: str
    evidence: str | None  # the answer sentence that decides it (None when missed)

    @property
    def covered(self) -> bool:
        return self.status == COVERED

    @property
    def contradicted(self) -> bool:
        return self.status == CONTRADICTED


@dataclass(frozen=True)
class Citation:
    question_id: str
    title: str
    url: str | None
    kind: str  # "entry" (the question's own), "reference" (its sources), "related" (another entry)


@dataclass(frozen=True)
class Grade:
    question_id: str
    score: int
    verdict: str
    message: str
    key_points: list[KeyPoint]
    misconceptions: list[MisconceptionHit]
    citations: list[Citation]
    better_match: str | None = None
    truncated: bool = False
    signals: dict[str, float] = field(default_factory=dict)

    @property
    def covered(self) -> list[str]:
        return [k.text for k in self.key_points if k.covered]

    @property
    def missed(self) -> list[str]:
        return [k.text for k in self.key_points if k.status == MISSED]

    @property
    def contradicted(self) -> list[str]:
        return [k.text for k in self.key_points if k.contradicted]

    def to_dict(self) -> dict:
        d = asdict(self)
        d["covered"], d["missed"], d["contradicted"] = self.covered, self.missed, self.contradicted
        return d


def verdict_for(score: int) -> str:
    return next(name for bound, name, _ in BANDS if score >= bound)


def colour_for(score: int) -> str:
    return next(colour for bound, _, colour in BANDS if score >= bound)


def says_nothing(q: Question, answer: str) -> str | None:
    """Return why an answer carries no content (empty, 'I don't know', the question copied), else None."""
    text = normalize(answer)
    bare = re.sub(r"[\W_]+", "", text)
    if not bare:
        return "답변이 비어 있습니다. 아는 만큼이라도 설명해 보세요. (The answer is empty.)"
    if (len(bare) <= 30 and _DONT_KNOW.search(text)) or bare in _SKIP:
        return "모른다는 답변은 0점입니다. 힌트를 보거나 모범 답안을 읽어 보세요. (An 'I don't know' answer scores 0.)"
    question = re.sub(r"[\W_]+", "", normalize(q.question))
    if question and len(bare) <= 1.3 * len(question):
        match = difflib.SequenceMatcher(None, bare, question, autojunk=False)
        added = len(bare) - sum(b.size for b in match.get_matching_blocks())
        # A copy adds at most a few characters ("입니다", "?"): "...merge sort is one" answers it.
        if match.ratio() >= 0.8 and added <= 3:
            return "질문을 그대로 옮긴 답변입니다. 질문에 대한 설명을 적어 주세요. (The answer repeats the question.)"
    return None


def _citations(kb, q: Question, better: str | None) -> list[Citation]:
    out = [Citation(q.id, q.question, None, "entry")]
    out += [Citation(q.id, r.title, r.url, "reference") for r in q.references]
    if better:
        other = kb.questions[better]
        out.append(Citation(other.id, other.question, None, "related"))
    return out


def grade(kb, question_id: str, answer: str, model: ScoreModel | None = None, vectors=None) -> Grade:
    """Grade `answer` to `question_id`; raise InterviewError for an unknown or unanswered question.

    `vectors`: the answer's sentence embeddings when the caller embedded many answers at once.
    """
    q = kb.question(question_id)
    if not q.answered:
        raise InterviewError(f"question '{question_id}' has no reference answer in its bank, so it cannot be graded: write one first")
    empty = says_nothing(q, answer)
    if empty:
        kps = [KeyPoint(p, MISSED, None) for p in q.points()]
        return Grade(q.id, 0, "no-answer", empty, kps, [], _citations(kb, q, None))
    return decide(kb, q, measure(kb, q, answer, vectors=vectors), model or model_for(kb))


def decide(kb, q: Question, m: Measured, model: ScoreModel) -> Grade:
    """Turn an answer's measurements into its grade: the model's score, then the caps."""
    score = int(round(20 * model.predict(m.values)))
    kps = [KeyPoint(v.text, v.status, v.evidence) for v in m.verdicts]
    messages = []
    if kps and not any(k.covered for k in kps):
        score = min(score, NOTHING_COVERED_CAP)
    wrong = [k for k in kps if k.contradicted]
    if wrong:
        score = min(score, CONTRADICTED_CAP)
        messages.append(
            "틀린 주장이 있습니다: " + "; ".join(f"'{k.evidence}' (맞는 내용: {k.text})" for k in wrong)
        )
    if m.misconceptions:
        score = min(score, MISCONCEPTION_CAP)
        messages.append("알려진 오개념입니다: " + "; ".join(f.claim for f in m.misconceptions))
    verdict = verdict_for(score)
    better = m.better_match if m.values["ref_margin"] < OFF_TOPIC_MARGIN and not any(k.covered for k in kps) else None
    if better:
        verdict = "off-topic" if verdict == "insufficient" else verdict
        other = kb.questions[better]
        messages.append(
            f"이 답변은 #{other.anchor} '{other.question}'에 대한 답에 더 가깝습니다. (This reads like an answer to #{other.anchor}.)"
        )
    if m.truncated:
        messages.append(
            f"답변이 길어 앞의 {MAX_GRADED_CHARS}자만 채점했습니다. (Only the first {MAX_GRADED_CHARS} characters were graded.)"
        )
    signals = {k: round(v, 4) for k, v in m.values.items()}
    return Grade(q.id, score, verdict, " ".join(messages), kps, m.misconceptions, _citations(kb, q, better), better, m.truncated, signals)
