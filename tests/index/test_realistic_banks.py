"""Banks as people write them on GitHub load: sub-questions without their parent, images, HTML,
tables, display math and <details> blocks. The files in tests/data/realistic/ are ours, written in
the shape of public Korean interview lists."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.cli import main
from index.bank import parse_bank
from index.banks import load_bank
from index.text import sentences
from tests.conftest import DATA

REAL = DATA / "realistic"


def test_a_follow_up_without_its_parent_is_kept_as_a_main_question_with_a_warning(capsys, caplog):
    bank = load_bank(REAL / "stats-notes.md")  # no '## #2' in the file: no error, no question lost
    assert "2 sub-question(s) without their parent are kept as main questions" in caplog.text
    assert [q.anchor for q in bank.questions] == ["1", "2-1", "2-2", "2-2-1"]
    q21, q22, q221 = (bank.get(f"stats-notes/{a}") for a in ("2-1", "2-2", "2-2-1"))
    assert q21.parent is None and q21.family_id == "stats-notes/2-1"
    assert q22.parent is None and q221.parent == "2-2" and q221.family_id == "stats-notes/2-2"
    assert main(["bank", "check", str(REAL / "stats-notes.md")]) == 0
    out = capsys.readouterr().out
    assert "stats-notes.md:42: warning: #2-1 looks like a follow-up of #2, which is not in this file: it is kept as a main question" in out
    assert main(["bank", "check", str(REAL / "stats-notes.md"), "--strict"]) == 1  # strict still fails on it


def test_every_realistic_file_loads_with_its_questions(capsys):
    for path, anchors in ((REAL / "stats-notes.md", 4), (REAL / "network-notes.md", 3)):
        bank = load_bank(path)
        assert len(bank.questions) == anchors and all(q.answered for q in bank.questions)
    assert main(["bank", "check", str(REAL / "stats-notes.md"), str(REAL / "network-notes.md")]) == 0


def test_markup_that_is_not_text_stays_out_of_the_graders_sentences():
    bank = load_bank(REAL / "stats-notes.md")
    clt = bank.get("stats-notes/1").answer_text
    assert "<img" not in clt and "clt.png" not in clt and "render.githubusercontent" not in clt and "div" not in clt
    assert " n " in clt or "크기 n이" in clt  # the math-image idiom keeps its LaTeX
    assert "$$" not in clt and "---" not in clt and "|" not in clt
    units = sentences(clt, min_chars=8)
    assert any("정규분포에 가까워진다" in s for s in units) and not any(s.strip("$ ") == "" for s in units)
    p = bank.get("stats-notes/2-1").answer_text
    assert "<details>" not in p and "<summary>" not in p and "귀무가설이 참일 확률이 아니다" in p.replace("**", "")
    assert "<br>" not in p and len(sentences(p)) >= 3  # <br> is a line break: two sentences, not one


SEED_LIKE = st.lists(
    st.tuples(
        st.lists(st.integers(1, 4), min_size=1, max_size=3),  # an anchor such as 2, 2-1 or 3-1-2
        st.sampled_from(["###", "####"]),
        st.sampled_from(["답이다.", "<img src='a.png'/>", "| a | b |\n|---|---|\n| 1 | 2 |", "$$\nx^2\n$$", "```\n## not an anchor\n```",
                         "<details>\n<summary>s</summary>\n\n본문.\n\n</details>", "<br/>", ""]),
        st.booleans(),  # with a '---' separator
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=SEED_LIKE)
def test_every_seed_format_file_with_unique_anchors_parses_without_an_error(entries):
    """Any numbering of anchors (sub-questions before, after or without their parent, deeper
    levels), either heading depth, and any mix of the markup above: no error, no entry dropped."""
    seen, parts = set(), ["# 질문 모음\n\n- [목차](#1)\n"]
    for numbers, hashes, answer, rule in entries:
        anchor = "-".join(map(str, numbers))
        if anchor in seen:
            continue
        seen.add(anchor)
        parts.append(f"## #{anchor}\n\n{hashes} 질문 {anchor}?\n\n{answer}\n" + ("\n---\n" if rule else ""))
    bank, problems = parse_bank("\n".join(parts), "seedlike")
    assert [p for p in problems if p.severity == "error"] == []
    assert {q.anchor for q in bank.questions} == seen
    for q in bank.questions:
        assert q.parent is None or q.parent in seen
        assert q.family_id.split("/", 1)[1] in seen and bank.get(q.family_id).parent is None


def test_bank_check_takes_a_folder_and_the_bundled_banks_are_clean(capsys):
    from app.core.settings import BUNDLED_CONTENT

    assert main(["bank", "check", str(BUNDLED_CONTENT), "--strict"]) == 0
    assert "ok: 5 file(s), no problems" in capsys.readouterr().out  # the five bundled banks
    out_code = main(["bank", "check", str(REAL)])
    out = capsys.readouterr().out
    assert out_code == 0 and "ok: " not in out and "network-notes.md:19: warning: #1-2 looks like a follow-up" in out  # both files read
