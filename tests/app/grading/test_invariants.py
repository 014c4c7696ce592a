"""The rules that tie a score to the key-point verdicts, checked with the real encoder, index and judge.

- an answer that states none of the key points scores at most 30;
- an answer that states a wrong version of any key point scores at most 40;
- appending unrelated text to an answer never raises its score by more than 5 (another
  question's answer, on median);
- a reference answer graded against questions of other families covers only what it states:
  pairs with nothing covered score at most 30, and the median pair at most 20.
"""

import json
import random
import statistics
from pathlib import Path

import pytest

from app.grading.grade import CONTRADICTED_CAP, NOTHING_COVERED_CAP, grade

ROOT = Path(__file__).resolve().parents[3]
POINTS = sorted((ROOT / "eval/data/points").glob("points-w*.jsonl"))


def _answers(n, seed=0):
    rows = [json.loads(line) for p in POINTS for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
    return random.Random(seed).sample(rows, n)


@pytest.mark.slow
def test_the_caps_hold_on_varied_answers(real_kb):
    for r in _answers(40, seed=1):
        g = grade(real_kb, r["question_id"], r["answer"])
        if g.verdict == "no-answer":
            continue
        if not g.covered:
            assert g.score <= NOTHING_COVERED_CAP, (r["answer"][:80], g.score)
        if g.contradicted:
            assert g.score <= CONTRADICTED_CAP, (r["answer"][:80], g.score)


@pytest.mark.slow
def test_a_wrong_number_is_contradicted_and_capped(real_kb):
    wrong = "Sigmoid의 도함수는 최댓값이 1이라 층을 많이 쌓아도 기울기가 줄지 않습니다. 그래서 깊은 망에서도 잘 학습됩니다."
    g = grade(real_kb, "deep-learning/5", wrong)
    point = next(k for k in g.key_points if "0.25" in k.text)
    assert point.status == "contradicted" and "최댓값이 1" in point.evidence
    assert g.score <= CONTRADICTED_CAP


UNRELATED = (
    "주말에는 보통 한강에서 자전거를 타고, 저녁에는 친구들과 보드게임을 합니다. 요즘은 제빵에 관심이 생겨서 "
    "식빵과 바게트를 구워 보고 있는데, 반죽을 충분히 치대고 발효 시간을 지키는 것이 가장 중요하다고 느꼈습니다."
)


CHAT = "Honestly I prepared a lot for this interview. My hobby is hiking and I like cooking pasta on weekends."


@pytest.mark.slow
def test_appending_unrelated_text_does_not_raise_the_score(real_kb):
    for r in _answers(15, seed=2):
        before = grade(real_kb, r["question_id"], r["answer"]).score
        for extra in (UNRELATED, CHAT):
            after = grade(real_kb, r["question_id"], r["answer"] + "\n\n" + extra).score
            assert after <= before + 5, (r["question_id"], r["answer"][:60], before, after)


@pytest.mark.slow
def test_appending_another_questions_answer_does_not_raise_the_score_on_median(real_kb):
    # A real answer about something else in the same field (GPUs): its sentences share the field's
    # vocabulary, some pass as being about the question and the judge reads a few as stating a
    # point, so single answers can rise (measured: 6 of 14 by more than 5, at most +23); the median may not.
    other = real_kb.question("deep-learning/20").answer
    changes = []
    for r in _answers(15, seed=2):
        if r["question_id"].startswith("deep-learning/20"):
            continue
        before = grade(real_kb, r["question_id"], r["answer"]).score
        changes.append(grade(real_kb, r["question_id"], r["answer"] + "\n\n" + other).score - before)
    assert statistics.median(changes) <= 5, changes


@pytest.mark.slow
def test_references_graded_against_other_families_score_low(real_kb):
    rng = random.Random(3)
    mains = [q for q in real_kb.questions.values() if q.answered]
    scores = []
    for q in mains:
        # Questions of another family in the same bank: the close neighbours (another bank's are easier).
        others = [o for o in mains if o.family_id != q.family_id and o.bank == q.bank]
        for o in rng.sample(others, 3):
            g = grade(real_kb, o.id, q.answer)
            if not g.covered:
                assert g.score <= NOTHING_COVERED_CAP, (q.id, o.id, g.score)
            scores.append(g.score)
    assert statistics.median(scores) <= 20, statistics.median(scores)
