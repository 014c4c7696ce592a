import json

import pytest

from app.batch.adhoc import adhoc_bank
from app.cli import main
from eval.datasets import graded_rows
from tests.conftest import DATA

GRADER_KEYS = {"n", "pearson", "spearman", "qwk", "rmse", "pass_accuracy"}
RETRIEVAL_KEYS = {"n", "recall@1", "recall@5", "mrr@5", "rejection", "false_rejection"}


def test_adhoc_bank_keeps_the_files_ids_and_derives_key_points():
    rows = graded_rows(DATA / "graded.csv")
    bank, ids = adhoc_bank((*r.reference, r.question_id) for r in rows)
    assert [q.anchor for q in bank.questions] == ["q1", "q2", "q3", "q4"]
    assert ids[rows[0].reference] == f"{bank.slug}/q1"
    assert bank.questions[0].points()  # no key points written: derived from the reference's sentences


def test_bench_grader_cross_validated_on_a_fixture(capsys):
    code = main(["bench", "grader", "--data", str(DATA / "graded.csv"), "--cv", "2", "--encoder", "fake", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and GRADER_KEYS <= out.keys() and out["n"] == 24
    assert -1 <= out["pearson"] <= 1 and out["rmse"] >= 0 and "cross-validation" in out["mode"]


def test_bench_grader_with_the_shipped_model(capsys):
    code = main(["bench", "grader", "--data", str(DATA / "graded.csv"), "--encoder", "fake", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and GRADER_KEYS <= out.keys() and "shipped model" in out["mode"]


def test_bench_retrieval_on_a_fixture(capsys, mini_content):
    code = main(["bench", "retrieval", "--data", str(DATA / "queries.csv"), "--content", str(mini_content), "--encoder", "fake", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and RETRIEVAL_KEYS <= out.keys() and out["n"] == 4
    assert out["recall@5"] == 1.0  # three in-bank entries, five slots


@pytest.mark.parametrize(
    "content, message",
    [
        ("question_id,answer,grade\nmini/1,x,7\n", "'grade' must be from 0 to 5"),
        ("question_id,answer,grade\nmini/1,x,high\n", "'grade' must be a number"),
        ("answer,grade\nx,3\n", "needs 'question_id', or 'question' and 'reference_answer'"),
    ],
)
def test_bad_grader_files_are_one_line_errors(capsys, tmp_path, content, message):
    f = tmp_path / "bad.csv"
    f.write_text(content, encoding="utf-8")
    assert main(["bench", "grader", "--data", str(f), "--encoder", "fake"]) == 1
    assert message in capsys.readouterr().err


@pytest.mark.slow
def test_real_grader_orders_answers_by_quality(real_kb):
    from app.grading.grade import grade

    cases = {
        "deep-learning/16-1": [
            "드롭아웃은 학습할 때 각 뉴런의 출력을 확률 p로 0으로 만들어, "
            "뉴런들이 서로에게 의존하는 공적응을 막고 과적합을 줄이는 규제입니다. "
            "매번 다른 부분 신경망을 학습하는 셈이라 앙상블 효과가 있고, 추론 때는 끄고 기댓값이 같도록 스케일을 맞춥니다.",
            "드롭아웃은 일부 뉴런을 꺼서 과적합을 줄입니다.",
            "드롭아웃은 추론할 때 뉴런을 무작위로 꺼서 예측을 빠르게 만드는 방법입니다.",
            "",
        ],
        "deep-learning/15-1": [
            "검증 세트는 학습에 쓰지 않고 하이퍼파라미터 튜닝과 모델 선택, 조기 종료 시점 결정에 쓰는 데이터입니다. 테스트 세트로 튜닝하면 "
            "테스트 성능이 낙관적으로 편향되므로, 테스트 세트는 마지막에 한 번만 일반화 성능을 추정하는 데 씁니다.",
            "하이퍼파라미터를 고를 때 쓰는 데이터입니다.",
            "검증 세트는 학습 데이터가 부족할 때 추가로 학습에 넣는 데이터입니다.",
            "모르겠습니다",
        ],
    }
    for qid, (excellent, partial, wrong, empty) in cases.items():
        scores = [grade(real_kb, qid, a).score for a in (excellent, partial, wrong, empty)]
        assert scores[0] > max(scores[1], scores[2]) and min(scores[1], scores[2]) > scores[3] == 0, (qid, scores)
    # Where the wrong claim is one of the entry's known misconceptions, it is caught and ranks
    # below the thin but correct answer. (A wrong claim the bank does not list, like "dropout
    # is switched on at inference to speed it up" for 16-1, or "the validation set is added to
    # the training data" for 15-1, is not: embeddings cannot tell a claim from its negation;
    # see the closing note of issue 4. The bank no longer lists the second as a misconception:
    # retraining on training + validation data after the selection is a legitimate answer.)
    partial = cases["deep-learning/15-1"][1]
    wrong = "검증 세트로 모델을 고른 뒤에는 그 검증 점수가 가장 좋으니 그 값을 그대로 최종 성능으로 보고하면 됩니다."
    flagged = grade(real_kb, "deep-learning/15-1", wrong)
    assert flagged.misconceptions and flagged.score < grade(real_kb, "deep-learning/15-1", partial).score


def test_bench_points_on_a_fixture(capsys, tmp_path, mini_content):
    data = tmp_path / "points.csv"
    data.write_text(
        "question_id,answer,covered,contradicted\n"
        "mini/1,Overfitting: the model fits noise in the training data and performs worse on unseen data.,1;2,\n"
        "mini/2,GPUs have thousands of cores.,1,2\n",
        encoding="utf-8",
    )
    code = main(["bench", "points", "--data", str(data), "--content", str(mini_content), "--encoder", "fake", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["answers"] == 2 and out["tick_labelled"] == 3 and out["contradicted_labelled"] == 1
    # The figures are the grader's own verdicts counted against the labels.
    from app.core.knowledge import Knowledge
    from app.core.settings import Settings
    from app.grading.grade import grade
    from eval.metrics import ticks

    kb = Knowledge.open(Settings(content=mini_content, encoder="fake"))
    grades = [grade(kb, "mini/1", "Overfitting: the model fits noise in the training data and performs worse on unseen data."),
              grade(kb, "mini/2", "GPUs have thousands of cores.")]
    covered = [{i for i, k in enumerate(g.key_points, 1) if k.covered} for g in grades]
    wrong = [{i for i, k in enumerate(g.key_points, 1) if k.contradicted} for g in grades]
    expect = ticks(covered, [{1, 2}, {1}])
    # The report rounds to 4 places.
    assert out["tick_predicted"] == expect["predicted"]
    assert out["tick_recall"] == pytest.approx(expect["recall"], abs=1e-4, nan_ok=True)
    assert out["contradicted_predicted"] == ticks(wrong, [set(), {2}])["predicted"]


@pytest.mark.parametrize(
    "content, message",
    [
        ("question_id,answer,covered\nmini/1,x,9\n", "'covered' names key point 9, but the question has"),
        ("question_id,answer,covered\nmini/1,x,one\n", "'covered' must be ';'-separated key-point numbers"),
        ("question_id,answer\nmini/1,x\n", "needs 'question_id', 'answer' and 'covered'"),
    ],
)
def test_bad_points_files_are_one_line_errors(capsys, tmp_path, mini_content, content, message):
    f = tmp_path / "bad.csv"
    f.write_text(content, encoding="utf-8")
    assert main(["bench", "points", "--data", str(f), "--content", str(mini_content), "--encoder", "fake"]) == 1
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_bench_grader_reports_wrong_and_correct_answers_by_kind(capsys, tmp_path, mini_content):
    f = tmp_path / "kinds.csv"
    rows = ["question_id,answer,grade,kind"] + [f"mini/{q},answer {i} about training and noise,{i % 6},{k}"
                                               for i, (q, k) in enumerate([(1, "wrong"), (2, "correct"), (1, "correct"), (2, "wrong")] * 3)]
    f.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert main(["bench", "grader", "--data", str(f), "--content", str(mini_content), "--encoder", "fake", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert 0 <= out["wrong_below_40"] <= 1 and 0 <= out["correct_flagged"] <= 1
