import pytest

from app.ask.answer import NOT_COVERED, ask
from index.errors import InterviewError


def test_fake_encoder_retrieval_finds_the_entry(fake_kb):
    a = ask(fake_kb, "What does a GPU speed up?", k=2, threshold=0.3)
    assert a.in_bank and a.citations[0].question_id == "mini/2"
    assert "[1]" in a.answer and "parallel" in a.answer


def test_threshold_rejects(fake_kb):
    a = ask(fake_kb, "completely unrelated words here", threshold=0.99)
    assert not a.in_bank and a.answer == NOT_COVERED


@pytest.mark.parametrize("query, k, fragment", [("   ", 5, "empty"), ("x", 0, "-k must be at least 1")])
def test_bad_input(fake_kb, query, k, fragment):
    with pytest.raises(InterviewError, match=fragment):
        ask(fake_kb, query, k=k)


@pytest.mark.slow
@pytest.mark.parametrize(
    "query, expected",
    [
        ("Dropout을 쓰면 어떤 효과가 있나요?", "deep-learning/16-1"),
        ("요즘 시그모이드 대신 렐루를 쓰는 이유가 뭐야?", "deep-learning/12"),
        ("모멘텀 수식 좀 적어줘", "deep-learning/17-3"),
        ("Why do we need a separate validation set?", "deep-learning/15-1"),
        ("GPU 두 장으로 학습하려면 어떻게 해?", "deep-learning/20-2"),
    ],
)
def test_paraphrase_retrieves_its_entry(real_kb, query, expected):
    a = ask(real_kb, query)
    assert a.in_bank and a.citations[0].question_id == expected
    assert "[1]" in a.answer


@pytest.mark.slow
@pytest.mark.parametrize("query", ["김치찌개 맛있게 끓이는 법 알려줘", "What is the capital of Australia?"])
def test_out_of_bank_questions_are_not_covered(real_kb, query):
    a = ask(real_kb, query)
    assert not a.in_bank and a.answer == NOT_COVERED


@pytest.mark.slow
def test_transliterated_terms_are_understood(real_kb):
    """The glossary adds the banks' term beside a transliteration: the spoken question is answered from #12."""
    a = ask(real_kb, "왜 요새는 시그모이드 대신 렐루를 써?")
    assert a.in_bank and a.citations[0].question_id == "deep-learning/12" and a.query == "왜 요새는 시그모이드 대신 렐루를 써?"


def test_the_query_is_searched_with_the_glossarys_terms_and_shown_as_typed(fake_kb, monkeypatch):
    seen = []
    real = fake_kb.embed
    monkeypatch.setattr(fake_kb, "embed", lambda texts, query=True: seen.extend(texts) or real(texts, query=query))
    a = ask(fake_kb, "오버피팅 어떻게 막아요?", threshold=0.0)
    assert seen == ["오버피팅(overfitting) 어떻게 막아요?"]  # the mini bank gives overfitting no Korean name
    assert a.query == "오버피팅 어떻게 막아요?"
