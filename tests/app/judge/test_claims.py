"""Verdicts from judged pairs: which sentences are judged, and how probabilities become statuses."""

import numpy as np

from app.judge.claims import CONTRADICTED, COVERED, MISSED, candidates, decide, judge_points


class Scripted:
    """A judge that answers from a table of (point, sentence) -> (neither, entails, contradicts)."""

    def __init__(self, table):
        self.table, self.calls = table, []

    def probabilities(self, points, sentences):
        self.calls += list(zip(points, sentences))
        return np.array([self.table.get((p, s), (1.0, 0.0, 0.0)) for p, s in zip(points, sentences)])


def test_candidates_are_the_closest_sentences_above_the_floor():
    sims = np.array([[0.90, 0.70], [0.80, 0.71], [0.50, 0.60]])
    assert candidates(sims, base=0.8, k=2, skip_below=0.05) == [[0, 1], [1]]  # point 2: all far below, the best is kept


def test_statuses_and_evidence():
    points = ["P1 감소한다", "P2 감소한다", "P3"]
    sents = ["s1 감소한다", "s2 증가한다", "s3"]
    table = {(points[0], sents[0]): (0.1, 0.8, 0.1), (points[1], sents[1]): (0.05, 0.05, 0.9), (points[2], sents[2]): (0.6, 0.3, 0.1)}
    judge = Scripted(table)
    sims = np.eye(3) * 0.9 + 0.1
    v = judge_points(judge, points, sents, sims, base=0.5, k=1)
    assert [(x.status, x.evidence) for x in v] == [(COVERED, sents[0]), (CONTRADICTED, sents[1]), (MISSED, None)]
    assert len(judge.calls) == 3


def test_the_judges_contradicts_alone_does_not_mark_a_point_wrong():
    # Measured: the judge often says "contradicts" to a close paraphrase; without a differing
    # number or direction its belief counts as "states the claim".
    probs = np.array([[0.02, 0.02, 0.96]])
    point = "ReLU는 양수 구간의 도함수가 1이라 기울기가 줄지 않는다."
    assert decide([point], ["ReLU는 양수 구간에서 미분값이 1이라 기울기가 그대로 전달됩니다."], [(0, 0)], probs)[0].status == COVERED
    assert decide([point], ["ReLU는 음수 구간에서 미분값이 1이라 기울기가 그대로 전달됩니다."], [(0, 0)], probs)[0].status == CONTRADICTED


def test_a_wrong_number_contradicts_and_a_vague_sentence_is_missed():
    points = ["Sigmoid 도함수의 최댓값은 0.25이다"]
    v = decide(points, ["시그모이드 도함수의 최댓값은 1입니다"], [(0, 0)], np.array([[0.1, 0.8, 0.1]]))
    assert v[0].status == CONTRADICTED and v[0].evidence == "시그모이드 도함수의 최댓값은 1입니다"
    v = decide(points, ["시그모이드 도함수의 최댓값은 0.25입니다"], [(0, 0)], np.array([[0.1, 0.8, 0.1]]))
    assert v[0].status == COVERED
    v = decide(points, ["시그모이드는 자주 쓰입니다"], [(0, 0)], np.array([[0.5, 0.4, 0.1]]))
    assert v[0].status == MISSED  # 1 - p(neither) = 0.5 < ABOUT_MIN


def test_a_right_version_beats_a_wrong_one_in_another_sentence():
    points = ["Sigmoid 도함수의 최댓값은 0.25이다"]
    sents = ["최댓값은 1이라고 들었는데", "정확히는 도함수의 최댓값이 0.25입니다"]
    probs = np.array([[0.05, 0.45, 0.5], [0.02, 0.9, 0.08]])
    assert decide(points, sents, [(0, 0), (0, 1)], probs)[0].status == COVERED


def test_a_contradiction_needs_a_sentence_about_the_point():
    probs = np.array([[0.0, 0.05, 0.95]])
    point, wrong = "학습률이 크면 발산한다", "학습률이 작으면 발산한다"
    assert decide([point], [wrong], [(0, 0)], probs, [0.10])[0].status == CONTRADICTED
    assert decide([point], [wrong], [(0, 0)], probs, [-0.02])[0].status == MISSED  # far from the point: not a claim about it


def test_no_sentences_means_all_missed():
    assert [x.status for x in judge_points(Scripted({}), ["a", "b"], [], np.zeros((0, 2)), 0.0)] == [MISSED, MISSED]
