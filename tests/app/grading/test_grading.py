import pytest

from app.grading.grade import MISCONCEPTION_CAP, NOTHING_COVERED_CAP, grade, says_nothing, verdict_for
from app.grading.signals import MisconceptionHit
from index.errors import InterviewError

GOOD_12 = (
    "ReLU를 쓰는 가장 큰 이유는 기울기 소실 때문입니다. Sigmoid는 도함수의 최댓값이 0.25라서 역전파 때 층마다 곱해지면 "
    "앞쪽 층의 기울기가 0에 가까워집니다. 입력이 크면 포화되어 기울기가 거의 0이 되기도 합니다. 반면 ReLU는 양수 구간의 "
    "기울기가 1이라 기울기가 줄지 않고 전달되고, 지수 연산 없이 max만 계산하므로 빠르며, 음수를 0으로 만들어 희소한 활성값을 만듭니다."
)
WEAK_12 = "ReLU가 계산이 조금 더 빨라서 씁니다."


@pytest.mark.parametrize(
    "answer, fragment",
    [
        ("", "비어 있습니다"),
        ("   \n\t ", "비어 있습니다"),
        ("잘 모르겠습니다", "모른다는"),
        ("I don't know.", "모른다는"),
        ("What is overfitting?", "질문을 그대로"),
        ("what is   overfitting", "질문을 그대로"),
    ],
)
def test_answers_that_say_nothing_score_zero_with_a_message(fake_kb, answer, fragment):
    g = grade(fake_kb, "mini/1", answer)
    assert g.score == 0 and g.verdict == "no-answer" and fragment in g.message
    assert g.missed == list(fake_kb.question("mini/1").key_points) and g.covered == []


@pytest.mark.parametrize(
    "answer", ["Pass-by-value or pass-by-reference.", "None, just pass the array name.", "Overfitting is when it fits noise"]
)
def test_short_real_answers_are_not_mistaken_for_no_answer(fake_kb, answer):
    assert says_nothing(fake_kb.question("mini/1"), answer) is None


def test_a_question_copied_with_its_answer_added_is_graded(fake_kb):
    q = fake_kb.question("mini/2")
    assert says_nothing(q, "What does a GPU speed up? Matrix products.") is None
    assert says_nothing(q, "what does a gpu speed up") is not None


def test_dont_know_inside_a_real_answer_is_graded():
    from index.banks import load_bank
    from tests.conftest import DATA

    q = load_bank(DATA / "mini.md").get("mini/1")
    assert (
        says_nothing(q, "잘 모르겠지만, 과적합은 모델이 학습 데이터의 노이즈까지 외워서 새로운 데이터에서 성능이 떨어지는 현상입니다.")
        is None
    )


def test_grade_result_shape_and_citations(fake_kb):
    g = grade(fake_kb, "mini/1", "The model fits noise in the training data, so it performs worse on unseen data.")
    assert 0 <= g.score <= 100 and g.verdict == verdict_for(g.score)
    assert {k.text for k in g.key_points} == set(fake_kb.question("mini/1").key_points)
    kinds = [c.kind for c in g.citations]
    assert kinds[0] == "entry" and kinds.count("reference") == 2
    assert g.citations[1].url == "https://www.deeplearningbook.org/contents/ml.html"
    d = g.to_dict()
    assert {"question_id", "score", "verdict", "covered", "missed", "misconceptions", "citations"} <= d.keys()


def test_unknown_and_unanswered_questions_are_user_errors(fake_kb):
    with pytest.raises(InterviewError, match=r"unknown question id 'mini/9'.*did you mean"):
        grade(fake_kb, "mini/9", "x")
    with pytest.raises(InterviewError, match="has no reference answer"):
        grade(fake_kb, "mini/3", "x")


def test_long_answers_are_cut_with_a_notice(fake_kb):
    g = grade(fake_kb, "mini/2", "GPUs run many arithmetic operations in parallel. " * 200)
    assert g.truncated and "4000" in g.message


@pytest.mark.slow
def test_real_model_orders_good_weak_and_dont_know(real_kb):
    good = grade(real_kb, "deep-learning/12", GOOD_12)
    weak = grade(real_kb, "deep-learning/12", WEAK_12)
    none = grade(real_kb, "deep-learning/12", "잘 모르겠습니다")
    assert good.score >= weak.score + 25, (good.score, weak.score)
    assert weak.score > none.score == 0 or (weak.score == 0 and none.verdict == "no-answer")
    assert len(good.covered) > len(weak.covered)
    assert "Sigmoid" in " ".join(good.covered)


@pytest.mark.slow
def test_real_model_flags_an_answer_to_another_question(real_kb):
    gpu = (
        "GPU는 수천 개의 코어로 행렬 곱셈 같은 단순 연산을 병렬로 처리하고 메모리 대역폭이 높아서 "
        "딥러닝 학습과 추론이 CPU보다 훨씬 빠릅니다."
    )
    g = grade(real_kb, "deep-learning/12", gpu)
    assert g.verdict == "off-topic" and g.better_match == "deep-learning/20"
    assert g.score < 40 and any(c.kind == "related" and c.question_id == "deep-learning/20" for c in g.citations)


@pytest.mark.slow
def test_real_model_grades_english_answers_to_korean_questions(real_kb):
    english = (
        "ReLU is preferred because its gradient is 1 for positive inputs, so the gradient does not shrink as it flows back "
        "through many layers, while the sigmoid derivative is at most 0.25 and vanishes in deep networks. ReLU is also cheap to compute."
    )
    assert grade(real_kb, "deep-learning/12", english).score > grade(real_kb, "deep-learning/12", WEAK_12).score


@pytest.mark.slow
def test_real_model_flags_a_known_misconception(real_kb):
    g = grade(real_kb, "deep-learning/12", "ReLU는 Sigmoid보다 기울기 소실이 더 심해서 요즘은 잘 안 씁니다.")
    assert any("기울기 소실이 더 심하다" in m.claim for m in g.misconceptions)
    assert g.score < grade(real_kb, "deep-learning/12", GOOD_12).score
    # The sentence that makes the known wrong claim contradicts the key point its correction
    # restates; it is not read as covering it (it was: the judge cannot tell a claim from its
    # wrong version).
    wrong = "검증 세트로 모델을 고른 뒤에는 그 검증 점수가 가장 좋으니 그 값을 그대로 최종 성능으로 보고하면 됩니다."
    g = grade(real_kb, "deep-learning/15-1", wrong)
    assert g.misconceptions and g.contradicted == ["검증 점수도 선택에 쓰였으므로 최종 평가용 테스트 세트가 따로 필요하다."], g.key_points
    assert g.key_points[4].evidence == wrong and g.score <= MISCONCEPTION_CAP


# A correct #17-3 answer in the exponential-moving-average form (v <- mu*v + (1-mu)*g, PyTorch with
# dampening=mu, Adam's first moment): its step size does match plain SGD's, so the bank's misconception
# about the step size must not fire on it (it did before: the answer was flagged and capped at 30).
EMA_17_3 = (
    "모멘텀은 기울기의 지수 이동 평균을 속도로 씁니다. v ← μ·v + (1−μ)·g 로 속도를 갱신하고 θ ← θ − η·v 로 파라미터를 움직입니다. "
    "이 형태에서 v는 과거 기울기의 가중 평균이라 보폭이 일반 SGD와 비슷하고, 부호가 번갈아 바뀌는 방향의 진동은 평균되며 상쇄되고 "
    "일관된 방향의 움직임은 유지됩니다. PyTorch에서는 dampening을 μ로 주면 이 형태가 되고, μ는 보통 0.9를 씁니다."
)


@pytest.mark.slow
def test_a_correct_ema_form_momentum_answer_is_not_flagged(real_kb):
    g = grade(real_kb, "deep-learning/17-3", EMA_17_3)
    assert g.misconceptions == [], [m.claim for m in g.misconceptions]
    assert "dampening=0" in " ".join(m.claim for m in real_kb.question("deep-learning/17-3").misconceptions)


def _measured(statuses, misconceptions=()):
    from app.grading.signals import FEATURES, Measured
    from app.judge.claims import Verdict

    verdicts = [
        Verdict(f"point {i}", s, None if s == "missed" else f"sentence {i}", 0.9 * (s == "covered"), 0.9 * (s == "contradicted"))
        for i, s in enumerate(statuses)
    ]
    values = {f: 0.5 for f in FEATURES} | {"ref_margin": 0.1}
    return Measured(values, [], verdicts, list(misconceptions), None, ["s"], False)


def test_the_verdicts_cap_the_score(fake_kb):
    from app.grading.grade import CONTRADICTED_CAP, decide
    from app.grading.scoring import ScoreModel

    top = ScoreModel(("j_cov",), 5.0, (), "test", {})  # a model that gives everything 100
    q = fake_kb.questions[next(iter(fake_kb.questions))]
    assert decide(fake_kb, q, _measured(["covered", "covered"]), top).score == 100
    assert decide(fake_kb, q, _measured(["missed", "missed"]), top).score == NOTHING_COVERED_CAP
    g = decide(fake_kb, q, _measured(["covered", "contradicted"]), top)
    assert g.score == CONTRADICTED_CAP and g.contradicted == ["point 1"] and "sentence 1" in g.message and "point 1" in g.message
    assert [k.status for k in g.key_points] == ["covered", "contradicted"]
    d = g.to_dict()
    assert d["key_points"][1] == {"text": "point 1", "status": "contradicted", "evidence": "sentence 1"}
    assert d["contradicted"] == ["point 1"]
    hit = MisconceptionHit("a wrong claim", "the right one", "sentence 0")
    g = decide(fake_kb, q, _measured(["missed", "missed"], [hit]), top)
    assert g.score == MISCONCEPTION_CAP < NOTHING_COVERED_CAP and "a wrong claim" in g.message
