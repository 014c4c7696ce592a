import pytest

from index.bank import parse_bank
from index.banks import bank_files, load_bank, load_banks, read_bank
from index.errors import InterviewError
from tests.conftest import DATA, ROOT, SEED


def parse(text, slug="t"):
    return parse_bank(text, slug, "t.md")


def test_mini_bank_fields():
    bank = load_bank(DATA / "mini.md")
    assert bank.slug == "mini" and bank.title == "Mini bank"
    assert [q.id for q in bank.questions] == ["mini/1", "mini/1-1", "mini/2", "mini/3"]
    q = bank.get("mini/1")
    assert q.question == "What is overfitting?"
    assert q.parent is None and q.parent_id is None
    assert q.key_points[0] == "The model fits noise in the training data."
    assert q.misconceptions[0].claim == "Overfitting means the training loss is high."
    assert q.misconceptions[0].correction.startswith("The training loss is low")
    assert q.topics == ("generalisation", "training")
    assert q.references[0].url == "https://www.deeplearningbook.org/contents/ml.html"
    assert q.references[1].title == "A textbook without a link" and q.references[1].url is None


def test_follow_up_has_parent_and_inherits_topics():
    bank = load_bank(DATA / "mini.md")
    child = bank.get("mini/1-1")
    assert child.parent == "1" and child.parent_id == "mini/1"
    assert child.topics == ("generalisation", "training")
    assert [q.id for q in bank.children("mini/1")] == ["mini/1-1"]


def test_unanswered_question_is_kept_and_flagged():
    bank, problems = read_bank(DATA / "mini.md")
    q = bank.get("mini/3")
    assert q is not None and not q.answered
    assert any(p.line == q.line and "no answer" in p.message and p.severity == "warning" for p in problems)


def test_seed_parses_into_47_questions_with_two_answers():
    bank, problems = read_bank(SEED)
    assert len(bank.questions) == 47
    assert [q.anchor for q in bank.questions if q.answered] == ["12", "12-1"]
    q = bank.get(f"{bank.slug}/12-1")
    # The GitHub math-image idiom keeps its LaTeX, and the image tag is gone.
    assert "y = w_1*x_1" in q.answer_text and "<img" not in q.answer_text
    assert len(bank.get(f"{bank.slug}/12").references) == 3
    assert not [p for p in problems if p.severity == "error"]


def test_bundled_bank_is_complete():
    bank, problems = read_bank(ROOT / "content" / "deep-learning.md")
    assert len(bank.questions) == 47
    assert not [p for p in problems if p.severity == "error"], problems
    seed = {q.anchor: q for q in read_bank(SEED)[0].questions}
    for q in bank.questions:
        assert q.answered and len(q.key_points) >= 3, q.id
        assert q.question == seed[q.anchor].question, q.id
        assert any("\uac00" <= ch <= "\ud7a3" for ch in q.answer_text), f"{q.id} answer is not Korean"
        urls = {r.url for r in q.references}
        assert {r.url for r in seed[q.anchor].references} <= urls, f"{q.id} lost a seed reference"
    assert [q.id for q in bank.children("deep-learning/12")] == [f"deep-learning/12-{i}" for i in range(1, 5)]


VARIANTS = """
## #1

### Question with three hashes?

An answer with an image ![fig](a.png), <b>HTML</b>, and code:

```python
## not an anchor, inside code
#### References
x = 1
```

##### References

- [Paper](https://example.org/p)

---

## #2

#### Question two?

Answer two.

#### Reference

- [Other](https://example.org/o)
"""


def test_real_world_variants():
    bank, problems = parse(VARIANTS)
    q1, q2 = bank.questions
    assert q1.question == "Question with three hashes?"
    assert "## not an anchor" in q1.answer and "x = 1" in q1.answer
    assert q1.references[0].title == "Paper"
    assert "<b>" not in q1.answer_text and "HTML" in q1.answer_text and "a.png" not in q1.answer_text
    assert q2.references[0].url == "https://example.org/o"
    # With no key points, grading falls back on the answer's sentences.
    assert q1.key_points == () and q1.points()
    assert not [p for p in problems if p.severity == "error"]


@pytest.mark.parametrize(
    "text, line, fragment",
    [
        ("## #1\n\n#### A?\n\nx\n\n---\n\n## #1\n\n#### B?\n\ny\n", 9, "duplicate anchor #1 (first at line 1)"),
        ("## #1\n\nno heading here\n", 3, "expected the question as a '####' heading"),
        ("# Title only\n\nnothing else\n", 1, "no entries found"),
        ("## #1\n\n", 1, "has no question heading"),
    ],
)
def test_structure_errors(text, line, fragment):
    _, problems = parse(text)
    errors = [p for p in problems if p.severity == "error"]
    assert any(p.line == line and fragment in p.message for p in errors), problems


def test_problem_format_is_file_line_message():
    _, problems = parse("## #1\n\n#### A?\n\nx\n\n---\n\n## #1\n\n#### B?\n")
    assert [str(p) for p in problems if p.severity == "error"] == [
        "t.md:9: error: duplicate anchor #1 (first at line 1): give each entry its own anchor"
    ]


def test_bad_slug_is_an_error():
    _, problems = parse_bank("## #1\n\n#### A?\n\nx\n", "Bad Name", "Bad Name.md")
    assert any("must match" in p.message for p in problems)


def test_load_bank_raises_on_errors(tmp_path):
    f = tmp_path / "broken.md"
    f.write_text("## #1\n\n#### A?\n\nx\n\n---\n\n## #1\n\n#### B?\n", encoding="utf-8")
    with pytest.raises(InterviewError, match=r"broken.md:9: error: duplicate anchor"):
        load_bank(f)


@pytest.mark.parametrize(
    "make, fragment",
    [
        (lambda d: d / "missing.md", "bank file not found"),
        (lambda d: d, "is a directory"),
        (lambda d: (d / "latin1.md", (d / "latin1.md").write_bytes("## #1\n\n#### \xe9?\n".encode("latin-1")))[0], "is not UTF-8"),
    ],
)
def test_unreadable_files(tmp_path, make, fragment):
    with pytest.raises(InterviewError, match=fragment):
        read_bank(make(tmp_path))


def test_content_folder_errors(tmp_path):
    with pytest.raises(InterviewError, match="content folder not found"):
        bank_files(tmp_path / "nope")
    with pytest.raises(InterviewError, match="no bank files"):
        bank_files(tmp_path)
    (tmp_path / "README.md").write_text("# not a bank", encoding="utf-8")
    with pytest.raises(InterviewError, match="no bank files"):
        load_banks(tmp_path)


def test_reference_titles_may_hold_brackets():
    bank, _ = parse("## #1\n\n#### A?\n\nx\n\n#### References\n\n- [[밑바닥 딥러닝] 신경망 - 블로그](https://example.org/a#b)\n")
    assert bank.questions[0].references[0].title == "[밑바닥 딥러닝] 신경망 - 블로그"
    assert bank.questions[0].references[0].url == "https://example.org/a#b"


def test_bom_is_accepted(tmp_path):
    f = tmp_path / "bom.md"
    f.write_bytes("\ufeff## #1\n\n#### A?\n\nAnswer.\n".encode("utf-8"))
    assert load_bank(f).questions[0].answer == "Answer."
