"""Property-based tests of the batch reader: any file content gives rows (a bad row carries its
own error) or the project's one-line error, never an unhandled exception."""

import csv
import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.batch.rows import AnswerRow, read_answers, read_records
from index.errors import InterviewError

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
CELLS = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        ["", '"', '""', "\r\n", "\x00", "=1+1", "\ufeff", "답", "\udcff".encode("utf-8", "surrogatepass").decode("utf-8", "replace")]
    ),
)


def check(path):
    try:
        rows = read_records(path, strict=False)
    except InterviewError as e:
        assert "\n" not in str(e)
        return
    assert isinstance(rows, list)
    for r in rows:
        assert isinstance(r.line, int) and r.line >= 1
        assert all(isinstance(k, str) for k in r.values)
        a = AnswerRow.from_record(r)  # every record also parses into an answer row
        assert a.line == r.line and (a.error is None) == (r.error is None)


@FUZZ
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".csv", ".jsonl", ".xlsx"]))
def test_any_bytes_give_rows_or_a_one_line_error(tmp_path, data, suffix):
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    check(path)


@FUZZ
@given(
    rows=st.lists(st.lists(CELLS, min_size=1, max_size=6), min_size=1, max_size=20),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp949"]),
)
def test_any_csv_table_gives_rows_or_a_one_line_error(tmp_path, rows, encoding):
    out = io.StringIO()
    csv.writer(out).writerows([["id", "question_id", "answer"], *rows])
    path = tmp_path / "fuzz.csv"
    path.write_bytes(out.getvalue().encode(encoding, errors="replace"))
    check(path)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@FUZZ
@given(values=st.lists(JSON, min_size=1, max_size=15))
def test_any_json_lines_give_rows_or_a_one_line_error(tmp_path, values):
    path = tmp_path / "fuzz.jsonl"
    path.write_text("\n".join(json.dumps(v) for v in values), encoding="utf-8")
    check(path)


def test_deeply_nested_json_is_a_row_error_not_a_crash(tmp_path):
    path = tmp_path / "deep.jsonl"
    path.write_text("[" * 100_000 + "]" * 100_000 + '\n{"answer": "ok"}\n', encoding="utf-8")
    rows = read_answers(path)
    assert "nested too deeply" in rows[0].error and rows[1].answer == "ok" and rows[1].error is None


def test_a_one_megabyte_csv_cell_is_read(tmp_path):
    path = tmp_path / "big.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([["question_id", "answer"], ["mini/1", "가" * 1_000_000]])
    assert len(read_answers(path)[0].answer) == 1_000_000
