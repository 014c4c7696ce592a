"""Property-based tests: any bank text, and any bytes in a bank file, give a parse result or the
project's own one-line error, never an unhandled exception."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.bank import Bank, parse_bank
from index.banks import read_bank
from index.errors import InterviewError

# Lines built from the bank's own syntax, so the parser's branches are reached, mixed with
# arbitrary text (control characters, surrogate-free unicode, RTL, emoji, brackets).
SYNTAX = st.sampled_from(
    [
        "# Title",
        "## #1",
        "## #1-2",
        "## #",
        "## #x-",
        "#### 질문?",
        "#### References",
        "#### Key points",
        "#### Misconceptions",
        "#### Topic",
        "---",
        "- point",
        "- claim → correction",
        "- claim -> ",
        "* [t](http://x)",
        "- [t [nested]](javascript:alert(1))",
        "```",
        "```python",
        "<!-- $x$ --> <img src=x>",
        "<details>",
        "</details>",
        "| a | b |",
        "|---|---|",
        "",
        "   ",
        "\t",
        "\u200b",
        "\ufeff## #2",
        "## #3\r",
        "\x00",
        "مرحبا",
        "🙂" * 3,
    ]
)
LINES = st.lists(st.one_of(SYNTAX, st.text(max_size=40)), max_size=60)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(LINES)
def test_any_bank_text_parses_or_reports_problems(lines):
    try:
        bank, problems = parse_bank("\n".join(lines), "fuzz", "fuzz.md")
    except InterviewError as e:
        assert "\n" not in str(e)
        return
    assert isinstance(bank, Bank)
    for p in problems:
        assert "\n" not in str(p) and str(p).startswith("fuzz.md:")
    assert len({q.id for q in bank.questions}) == len(bank.questions)  # ids stay unique


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=2000))
def test_any_bytes_in_a_bank_file_give_a_bank_or_a_one_line_error(tmp_path, data):
    path = tmp_path / "fuzz.md"
    path.write_bytes(data)
    try:
        bank, _ = read_bank(path)
    except InterviewError as e:
        assert "\n" not in str(e) and str(path) in str(e)
        return
    assert isinstance(bank, Bank)
