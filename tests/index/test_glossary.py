from pathlib import Path

import pytest

from index.bank import parse_bank
from index.errors import InterviewError
from index.glossary import Glossary, korean_names
from tests.conftest import ROOT

BANK = """## #1

#### Q?

깊은 신경망(neural network)은 배치 정규화(batch normalization)와 드롭아웃(dropout)을 쓴다. 층의 가중치(weight)도 있다.
"""


def test_the_banks_pairs_name_english_terms_in_korean():
    bank, _ = parse_bank(BANK, "t")
    names = korean_names([bank])
    assert names["neural network"] == "신경망"  # "깊은" is a modifier, not part of the term
    assert names["batch normalization"] == "배치 정규화" and names["weight"] == "가중치" and names["dropout"] == "드롭아웃"


def test_variants_get_the_banks_term_beside_them_and_the_text_stays_as_typed():
    bank, _ = parse_bank(BANK, "t")
    lines = "ReLU: 렐루\nbatch normalization: 배치 노멀라이제이션, 배치놈, batchnorm\ndropout: 드롭아웃, 드랍아웃\n"
    g = Glossary.parse(lines, korean_names([bank]))
    bn = "(배치 정규화, batch normalization)"
    assert g.expand("왜 렐루를 써요?") == "왜 렐루(ReLU)를 써요?"
    assert g.expand("배치  노멀라이제이션이랑 batchnorm") == f"배치  노멀라이제이션{bn}이랑 batchnorm{bn}"
    assert g.expand("드롭아웃은") == "드롭아웃(dropout)은"  # the banks' own Korean name is not repeated
    assert g.expand("렐루(ReLU)는 이미 적었다") == "렐루(ReLU)는 이미 적었다"  # already glossed
    assert g.expand("프렐루와 batchnorms") == "프렐루와 batchnorms"  # inside another word: no match
    assert g.expand("") == "" and Glossary({}).expand("렐루") == "렐루"


def test_a_bad_glossary_line_is_a_one_line_error_and_the_bundled_one_loads():
    with pytest.raises(InterviewError, match=r"glossary:2: a glossary line is 'term: variant, variant'"):
        Glossary.parse("ReLU: 렐루\nno colon here\n")
    g = Glossary.load(ROOT / "content" / "glossary.txt")
    assert g.expand("시그모이드 대신 렐루") == "시그모이드(Sigmoid) 대신 렐루(ReLU)"
    assert Glossary.load(Path("/nonexistent/glossary.txt")).labels == {}
