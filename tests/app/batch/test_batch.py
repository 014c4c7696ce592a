import csv
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from app.batch import run as batch
from app.batch.run import run_batch
from index.errors import InterviewError
from tests.conftest import ARTIFACTS, ROOT

ROWS = [
    {"id": "a1", "respondent": "kim", "question_id": "mini/1", "answer": "The model fits noise in the training data.", "human": "4"},
    {"id": "a2", "respondent": "lee", "question_id": "mini/2", "answer": "GPUs run many operations in parallel.", "human": "3"},
    {"id": "a3", "respondent": "kim", "question_id": "mini/2", "answer": "잘 모르겠습니다", "human": "0"},
]


@pytest.fixture
def settings(mini_content, tmp_path):
    from app.core.settings import Settings

    return Settings(home=tmp_path / "home", content=mini_content, encoder="fake")


def write_csv(path, rows, encoding="utf-8"):
    with open(path, "w", encoding=encoding, newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return path


def write_xlsx(path, rows):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(list(rows[0]))
    for r in rows:
        sheet.append(list(r.values()))
    book.save(path)
    return path


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize(
    "name, make",
    [
        ("utf8.csv", lambda p: write_csv(p, ROWS)),
        ("bom.csv", lambda p: write_csv(p, ROWS, "utf-8-sig")),
        ("cp949.csv", lambda p: write_csv(p, ROWS, "cp949")),
        ("euckr.csv", lambda p: write_csv(p, ROWS, "euc-kr")),
        ("rows.jsonl", lambda p: (p, p.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ROWS), encoding="utf-8"))[0]),
        ("book.xlsx", lambda p: write_xlsx(p, ROWS)),
    ],
)
def test_every_input_format_and_encoding_gives_the_same_results(settings, tmp_path, name, make):
    src = make(tmp_path / name)
    out = tmp_path / "out.jsonl"
    summary = run_batch(settings, src, out, progress_stream=None)
    rows = read_jsonl(out)
    assert summary.graded == 3 and [r["id"] for r in rows] == ["a1", "a2", "a3"]
    assert rows[2]["verdict"] == "no-answer" and rows[2]["score"] == 0
    assert {"id", "question_id", "score", "verdict", "covered", "missed", "contradicted", "key_points", "error"} <= rows[0].keys()
    assert rows[1]["respondent"] == "lee"
    kp = rows[0]["key_points"]
    assert kp and all(set(k) == {"text", "status", "evidence"} and k["status"] in ("covered", "contradicted", "missed") for k in kp)
    assert [k["text"] for k in kp if k["status"] == "covered"] == rows[0]["covered"]
    assert all((k["evidence"] is None) == (k["status"] == "missed") for k in kp)


def test_csv_output_is_excel_friendly(settings, tmp_path):
    out = tmp_path / "out.csv"
    run_batch(settings, write_csv(tmp_path / "in.csv", ROWS), out, progress_stream=None)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens Korean UTF-8 correctly
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert [r["id"] for r in rows] == ["a1", "a2", "a3"] and rows[2]["verdict"] == "no-answer"
    assert not (tmp_path / "out.csv.partial.jsonl").exists()


def test_csv_output_quotes_cells_a_spreadsheet_would_run(settings, tmp_path):
    rows = [dict(ROWS[0], id="=cmd|' /C calc'!A0", respondent="@SUM(1+1)"), dict(ROWS[1], id="-5", respondent="+82")]
    out = tmp_path / "out.csv"
    run_batch(settings, write_csv(tmp_path / "in.csv", rows), out, progress_stream=None)
    got = list(csv.DictReader(out.read_bytes().decode("utf-8-sig").splitlines()))
    assert [(r["id"], r["respondent"]) for r in got] == [("'=cmd|' /C calc'!A0", "'@SUM(1+1)"), ("'-5", "'+82")]
    assert got[0]["score"].isdigit()  # numbers stay numbers


def test_malformed_rows_are_reported_with_their_line_and_skipped(settings, tmp_path):
    src = tmp_path / "bad.csv"
    good = "The model fits noise in the training data."
    src.write_bytes(
        (f"id,question_id,answer\nok1,mini/1,{good}\nnoanswer,mini/1,\nunknown,mini/77,{good}\n").encode()
        + b"badbytes,mini/1,\xff\xfe bad\n"
        + f"ok2,mini/2,{good}\n".encode()
    )
    out = tmp_path / "out.jsonl"
    summary = run_batch(settings, src, out, progress_stream=None)
    rows = {r["id"]: r for r in read_jsonl(out)}
    assert summary.graded == 2 and summary.errors == 3
    assert rows["noanswer"]["error"] == "missing answer" and rows["noanswer"]["score"] is None and rows["noanswer"]["line"] == 3
    assert "unknown question id 'mini/77'" in rows["unknown"]["error"]
    assert "neither UTF-8 nor CP949" in rows["badbytes"]["error"] and rows["badbytes"]["line"] == 5
    assert rows["ok2"]["score"] is not None


def test_strict_stops_at_the_first_bad_row(settings, tmp_path):
    src = write_csv(tmp_path / "in.csv", [dict(ROWS[0]), dict(ROWS[1], question_id="mini/404"), dict(ROWS[2])])
    with pytest.raises(InterviewError, match=r"in.csv:3: unknown question id 'mini/404'.*--strict"):
        run_batch(settings, src, tmp_path / "out.jsonl", strict=True, progress_stream=None)


def test_broken_jsonl_line_is_a_row_error(settings, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(ROWS[0]) + "\n{not json\n" + json.dumps(ROWS[1]) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    run_batch(settings, src, out, progress_stream=None)
    rows = read_jsonl(out)
    assert [r["line"] for r in rows] == [1, 2, 3] and "not a JSON object" in rows[1]["error"]


@pytest.mark.parametrize(
    "content, message",
    [("id,question_id\n1,mini/1\n", "no 'answer' column"), ("", "has no rows")],
)
def test_unusable_files_are_one_line_errors(settings, tmp_path, content, message):
    src = tmp_path / "in.csv"
    src.write_text(content, encoding="utf-8")
    with pytest.raises(InterviewError, match=message):
        run_batch(settings, src, tmp_path / "out.jsonl", progress_stream=None)


def test_existing_output_needs_resume(settings, tmp_path):
    src = write_csv(tmp_path / "in.csv", ROWS)
    out = tmp_path / "out.jsonl"
    run_batch(settings, src, out, progress_stream=None)
    with pytest.raises(InterviewError, match="pass --resume"):
        run_batch(settings, src, out, progress_stream=None)
    again = run_batch(settings, src, out, resume=True, progress_stream=None)
    assert again.skipped_done == 3 and again.graded == 0 and len(read_jsonl(out)) == 3


def test_resume_drops_a_half_written_line(settings, tmp_path):
    src = write_csv(tmp_path / "in.csv", ROWS)
    out = tmp_path / "out.jsonl"
    run_batch(settings, src, out, progress_stream=None)
    lines = out.read_text(encoding="utf-8").splitlines(keepends=True)
    out.write_text(lines[0] + lines[1][: len(lines[1]) // 2], encoding="utf-8")  # died mid-write
    summary = run_batch(settings, src, out, resume=True, progress_stream=None)
    assert summary.skipped_done == 1 and [r["id"] for r in read_jsonl(out)] == ["a1", "a2", "a3"]


def test_labelled_run_reports_hand_checked_agreement(settings, tmp_path, monkeypatch):
    # The grader's scores are fixed so the agreement can be checked by hand:
    # grades 5, 3, 0 (scores 100, 60, 0) against labels 4, 3, 0.
    fixed = {"a1": 100, "a2": 60, "a3": 0}

    from app.batch import chunk, engines

    def fake_chunk(kb, rows, labels=None):
        return [
            chunk.BatchResult(
                id=r.key,
                line=r.line,
                respondent=r.respondent,
                question_id=r.question_id,
                score=fixed[r.key],
                verdict="x",
                label=chunk._label(r.columns.get(labels)),
            )
            for r in rows
        ]

    monkeypatch.setattr(engines, "grade_chunk", fake_chunk)
    out = tmp_path / "report.html"
    summary = run_batch(settings, write_csv(tmp_path / "in.csv", ROWS), out, labels="human", progress_stream=None)
    a = summary.agreement
    assert a["n"] == 3
    assert a["rmse"] == pytest.approx((1 / 3) ** 0.5)
    assert a["pass_accuracy"] == pytest.approx(1.0)
    assert a["spearman"] == pytest.approx(1.0)
    # pred (5,3,0) vs true (4,3,0): deviations (7,1,-8)/3 and (5,2,-7)/3, so
    # r = (35 + 2 + 56) / sqrt((49 + 1 + 64) * (25 + 4 + 49)) = 93 / sqrt(8892) = 0.986241
    assert a["pearson"] == pytest.approx(93 / 8892**0.5)
    page = out.read_text(encoding="utf-8")
    assert "Pearson 0.986" in page and '<svg class="chart scatter"' in page and "<script" not in page


def test_unknown_labels_column_and_output_type(settings, tmp_path):
    src = write_csv(tmp_path / "in.csv", ROWS)
    with pytest.raises(InterviewError, match="no column 'teacher'"):
        run_batch(settings, src, tmp_path / "o.jsonl", labels="teacher", progress_stream=None)
    with pytest.raises(InterviewError, match="use .jsonl, .csv or .html"):
        run_batch(settings, src, tmp_path / "o.xlsx", progress_stream=None)


@pytest.mark.slow
def test_free_text_questions_are_matched_with_confidence(real_kb, real_home, tmp_path):
    from app.core.settings import Settings

    rows = [
        {"question": "드롭아웃을 쓰면 어떤 효과가 있나요?", "answer": "일부 뉴런을 꺼서 과적합을 줄입니다."},
        {"question": "Why use ReLU instead of sigmoid these days?", "answer": "Gradients do not vanish for positive inputs."},
        {"question": "김치찌개는 어떻게 끓이나요?", "answer": "김치를 볶습니다."},
    ]
    out = tmp_path / "out.jsonl"
    run_batch(Settings(home=real_home), write_csv(tmp_path / "in.csv", rows), out, progress_stream=None)
    got = read_jsonl(out)
    assert got[0]["question_id"] == "deep-learning/16-1" and 0 < got[0]["match_confidence"] <= 1
    assert got[1]["question_id"] == "deep-learning/12"
    assert got[2]["score"] is None and "not covered" in got[2]["error"]


@pytest.mark.slow
def test_a_killed_run_resumes_and_grades_every_row_exactly_once(real_kb, real_home, tmp_path):
    answers = [json.loads(line) for line in (ROOT / "eval" / "data" / "ko-answers.jsonl").read_text(encoding="utf-8").splitlines()]
    rows = [{"id": f"r{i}", "question_id": a["question_id"], "answer": a["answer"]} for i, a in enumerate(answers * 2)]
    src = write_csv(tmp_path / "in.csv", rows)
    out = tmp_path / "out.jsonl"
    env = dict(os.environ, INTERVIEW_HOME=str(real_home))
    cmd = [sys.executable, "-m", "app", "batch", str(src), "-o", str(out)]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 240
    while time.time() < deadline and (not out.exists() or len(out.read_bytes().splitlines()) < batch.CHUNK):
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    partial = len(read_jsonl(out))
    assert batch.CHUNK <= partial < len(rows), partial  # killed mid-run, after at least one chunk
    done = subprocess.run(cmd + ["--resume", "--json"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    info = json.loads(done.stdout)
    assert info["already_done"] == partial and info["graded"] == len(rows) - partial
    ids = [r["id"] for r in read_jsonl(out)]
    assert sorted(ids) == sorted(r["id"] for r in rows) and len(ids) == len(set(ids))


@pytest.mark.slow
def test_html_report_opens_in_chromium_and_shows_its_charts(real_kb, real_home, tmp_path, chromium):
    from app.core.settings import Settings

    answers = [json.loads(line) for line in (ROOT / "eval" / "data" / "ko-answers.jsonl").read_text(encoding="utf-8").splitlines()][:40]
    rows = [
        {"id": f"r{i}", "respondent": f"p{i % 4}", "question_id": a["question_id"], "answer": a["answer"], "human": a["grade"]}
        for i, a in enumerate(answers)
    ]
    out = tmp_path / "report.html"
    run_batch(Settings(home=real_home), write_csv(tmp_path / "in.csv", rows), out, labels="human", progress_stream=None)
    page = chromium.new_page(viewport={"width": 1200, "height": 1400})
    try:
        page.goto(out.as_uri())
        assert page.locator("svg.histogram rect").count() == 10
        assert page.locator("svg.scatter circle").count() == 40
        assert page.locator("table.per-question tbody tr").count() >= 5
        assert page.locator("table.per-respondent tbody tr").count() == 4
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "batch-report.png"), full_page=True)
    finally:
        page.close()


def test_workers_give_the_same_results_as_one_process(settings, tmp_path):
    rows = [dict(ROWS[i % 3], id=f"w{i}") for i in range(40)]
    src = write_csv(tmp_path / "in.csv", rows)
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    run_batch(settings, src, one, chunk=8, progress_stream=None)
    run_batch(settings, src, two, chunk=8, workers=2, progress_stream=None)
    assert read_jsonl(one) == read_jsonl(two)


def test_dask_local_cluster_gives_the_same_results_as_one_process(settings, tmp_path):
    rows = [dict(ROWS[i % 3], id=f"d{i}") for i in range(40)]
    src = write_csv(tmp_path / "in.csv", rows)
    one, dask = tmp_path / "one.jsonl", tmp_path / "dask.jsonl"
    run_batch(settings, src, one, chunk=8, progress_stream=None)
    run_batch(settings, src, dask, chunk=8, engine="dask", workers=2, progress_stream=None)
    assert read_jsonl(one) == read_jsonl(dask)


def test_engine_errors_are_one_line(settings, tmp_path):
    src = write_csv(tmp_path / "in.csv", ROWS)
    with pytest.raises(InterviewError, match="unknown engine 'spark'"):
        run_batch(settings, src, tmp_path / "a.jsonl", engine="spark", progress_stream=None)
    with pytest.raises(InterviewError, match="--workers must be at least 1"):
        run_batch(settings, src, tmp_path / "b.jsonl", workers=0, progress_stream=None)
    from tests.app.web.conftest import free_port

    with pytest.raises(InterviewError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:"):
        run_batch(settings, src, tmp_path / "c.jsonl", engine="dask", scheduler=f"tcp://127.0.0.1:{free_port()}", progress_stream=None)


def test_disk_full_mid_run_is_a_clear_error_and_earlier_rows_survive(settings, tmp_path, monkeypatch):
    import errno

    from app.core.knowledge import Knowledge

    Knowledge.open(settings)  # the index is built before the disk fills up
    rows = [dict(ROWS[i % 3], id=f"f{i}") for i in range(40)]
    src = write_csv(tmp_path / "in.csv", rows)
    out = tmp_path / "out.jsonl"
    calls = {"n": 0}
    real_fsync = os.fsync

    def fsync(fd):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_fsync(fd)

    monkeypatch.setattr(batch.os, "fsync", fsync)
    with pytest.raises(
        InterviewError, match=r"cannot write .*out\.jsonl: the disk is full; the 16 rows written before are kept there: .*--resume"
    ):
        run_batch(settings, src, out, chunk=8, progress_stream=None)
    assert [r["id"] for r in read_jsonl(out)][:16] == [f"f{i}" for i in range(16)]
    monkeypatch.setattr(batch.os, "fsync", real_fsync)
    run_batch(settings, src, out, chunk=8, resume=True, progress_stream=None)
    assert sorted(r["id"] for r in read_jsonl(out)) == sorted(r["id"] for r in rows)


def test_a_full_disk_for_the_final_report_keeps_the_journal(settings, tmp_path, monkeypatch):
    import errno

    src = write_csv(tmp_path / "in.csv", ROWS)
    out = tmp_path / "out.html"
    real = os.fsync

    def full(fd):
        if os.readlink(f"/proc/self/fd/{fd}").endswith(".tmp") and ".out.html." in os.readlink(f"/proc/self/fd/{fd}"):
            raise OSError(errno.ENOSPC, "No space left on device")  # the report was written in part, then the disk filled up
        return real(fd)

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(InterviewError, match=r"the disk is full; the graded rows are kept in .*out\.html\.partial\.jsonl"):
        run_batch(settings, src, out, progress_stream=None)
    assert not out.exists() and not list(tmp_path.glob(".out.html.*"))  # no partial report is left behind
    assert len(read_jsonl(tmp_path / "out.html.partial.jsonl")) == 3
    monkeypatch.setattr(os, "fsync", real)
    summary = run_batch(settings, src, out, resume=True, progress_stream=None)
    assert summary.skipped_done == 3 and out.exists()


def test_a_real_write_failure_in_a_cli_run_keeps_the_rows_written_before(settings, tmp_path):
    """The kernel refuses to grow the output past a size limit (RLIMIT_FSIZE: EFBIG, as a full disk
    gives ENOSPC): the run stops with one line, and --resume finishes with every row once."""
    import resource

    from app.core.knowledge import Knowledge

    Knowledge.open(settings)  # the index exists before the limited process starts
    rows = [dict(ROWS[i % 3], id=f"k{i}") for i in range(300)]
    src = write_csv(tmp_path / "in.csv", rows)
    out = tmp_path / "out.jsonl"
    env = dict(os.environ, INTERVIEW_HOME=str(settings.home))
    cmd = [sys.executable, "-m", "app", "batch", str(src), "-o", str(out), "--content", str(settings.content), "--encoder", "fake"]

    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write instead of a killed process
        resource.setrlimit(resource.RLIMIT_FSIZE, (40_000, 40_000))

    failed = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, preexec_fn=limit)
    assert failed.returncode == 1, failed.stderr
    last = failed.stderr.strip().splitlines()[-1]
    assert last.startswith("error: cannot write") and "File too large" in last and "--resume" in last
    kept = batch._read_journal(out)  # complete lines; a line cut by the failed write is dropped
    assert 0 < len(kept) < len(rows)
    assert [r.id for r in kept] == [f"k{i}" for i in range(len(kept))]
    done = subprocess.run(cmd + ["--resume"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    ids = [r["id"] for r in read_jsonl(out)]
    assert sorted(ids) == sorted(r["id"] for r in rows) and len(set(ids)) == len(ids)


def test_workers_from_the_command_line(settings, tmp_path):
    """`python -m app batch --workers 2`: the worker pool runs from the command line too (spawned processes)."""
    from app.core.knowledge import Knowledge

    Knowledge.open(settings)
    rows = [dict(ROWS[i % 3], id=f"c{i}") for i in range(150)]
    src = write_csv(tmp_path / "in.csv", rows)
    out = tmp_path / "out.jsonl"
    env = dict(os.environ, INTERVIEW_HOME=str(settings.home))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "app",
            "batch",
            str(src),
            "-o",
            str(out),
            "--workers",
            "2",
            "--json",
            "--content",
            str(settings.content),
            "--encoder",
            "fake",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["graded"] == 150 and len(read_jsonl(out)) == 150
