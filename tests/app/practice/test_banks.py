"""Several banks: an interview on one bank or on all of them, and grades that only compare an
answer with the question's own bank."""

import pytest

from app.core.knowledge import Knowledge
from app.core.settings import Settings
from app.grading.grade import grade
from app.practice import interview as flow
from app.practice.history import History
from index.errors import InterviewError
from tests.conftest import DATA

OTHER = """# Other bank

---

## #1

#### What is a hash table?

A hash table maps keys to buckets with a hash function, so a lookup takes constant time on average.
Collisions are resolved by chaining or open addressing.

#### Key points

- A hash function maps each key to a bucket.
- A lookup takes constant time on average.
- Collisions are resolved by chaining or open addressing.

#### Topics

data structures

#### References

- [CLRS, Ch. 11](https://mitpress.mit.edu/9780262046305/introduction-to-algorithms/)
"""


@pytest.fixture
def two_banks(tmp_path):
    folder = tmp_path / "two"
    folder.mkdir()
    (folder / "mini.md").write_text((DATA / "mini.md").read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "other.md").write_text(OTHER, encoding="utf-8")
    return Knowledge.open(Settings(home=tmp_path / "home2", content=folder, encoder="fake"))


def test_all_banks_draws_from_every_bank_and_one_bank_from_its_own(two_banks, tmp_path):
    history = History(tmp_path / "h.sqlite")
    assert flow.plan(two_banks, history, "p", "all", "in-order", 9) == ["mini/1", "mini/2", "other/1"]
    assert flow.plan(two_banks, history, "p", "other", "in-order", 9) == ["other/1"]
    assert flow.topics(two_banks, "all") == ["generalisation", "What does a GPU speed up?", "data structures"]
    assert flow.topics(two_banks, "other") == ["data structures"]
    iv = flow.start(two_banks, history, "p", "all", "in-order", 3)
    assert iv.bank == "all" and iv.current == "mini/1"
    with pytest.raises(InterviewError, match="unknown bank 'nope': use one of mini, other or 'all'"):
        flow.plan(two_banks, history, "p", "nope", "in-order", 3)


def test_a_grade_does_not_change_when_another_bank_is_added(fake_kb, two_banks):
    answer = "The model fits noise in the training data. It does worse on new data. The sky is blue."
    alone, beside = grade(fake_kb, "mini/1", answer), grade(two_banks, "mini/1", answer)
    assert (alone.score, alone.signals) == (beside.score, beside.signals)
    assert [k.status for k in alone.key_points] == [k.status for k in beside.key_points]


def test_a_question_cites_only_its_own_entry_and_sources_never_another_banks(two_banks):
    g = grade(two_banks, "other/1", "A hash function picks a bucket for each key; lookups are constant time on average.")
    own = [c for c in g.citations if c.kind in ("entry", "reference")]
    assert own and all(c.question_id == "other/1" for c in own)
    assert all(c.question_id.startswith("other/") for c in g.citations)  # related entries come from its own bank too


def test_a_bank_named_all_is_refused(tmp_path):
    from index.banks import load_banks

    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "all.md").write_text(OTHER, encoding="utf-8")
    with pytest.raises(InterviewError, match="cannot be named 'all'"):
        load_banks(folder)
