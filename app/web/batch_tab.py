"""The Batch tab: an instructor uploads many people's answers and gets the grades, a histogram and reports."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import gradio as gr

from app.batch.run import run_batch, write_output
from app.stats.summary import agreement_text, histogram
from index.errors import InterviewError

from .page import Page
from .texts import t

BATCH_THREADS = 1  # encoder threads of the web app's batch process: the interview's graders keep a core
SHOWN_ROWS = 500  # rows of the results table in the page; the downloads have every row
# The histogram's count axis reaches at least this far, so its ticks are whole numbers (0, 2, 4 ...)
# when a few answers are graded, not 0.5 steps.
MIN_Y_COUNT = 10


def row_error(error: str, lang: str) -> str:
    """A row's error (English in the output files) in the page's language, when it has a wording."""
    for pattern, text in t(lang, "row_errors"):
        m = re.match(pattern, error)
        if m:
            return text.format(**m.groupdict())
    return error


def file_error(e: InterviewError, lang: str) -> str:
    """A file-level batch error in the page's language (its English message when it has no wording)."""
    text = t(lang, "batch_errors").get(e.code or "")
    try:
        return text.format(**e.details) if text else str(e)
    except (KeyError, ValueError):
        return str(e)


def result_row(kb, r, lang: str) -> list:
    """One graded row for the page's table: the question's text, and what was stated, missed or wrong."""
    q = kb.questions.get(r.question_id) if r.question_id else None
    question = f"{r.question_id}: {q.question}" if q else (r.question_id or "")
    wrong = [*r.contradicted, *r.misconceptions]
    return [
        r.id, r.line, r.respondent or "", question, r.score, t(lang, "verdicts").get(r.verdict or "", r.verdict or ""),
        "\n".join(f"✓ {p}" for p in r.covered), "\n".join(f"✗ {p}" for p in r.missed), "\n".join(f"! {p}" for p in wrong),
        row_error(r.error, lang) if r.error else "",
    ]


def build(page: Page) -> None:
    """Lay out the tab (inside an open gr.Tab) and register its handler; one batch runs at a time."""
    say = page.say
    say(gr.Markdown(t("ko", "batch_help"), elem_id="batch-help"), "batch_help", "value")
    with gr.Row():
        upload = say(gr.File(label=t("ko", "batch_file"), file_types=[".csv", ".jsonl", ".xlsx"], elem_id="batch-file"), "batch_file")
        labels = say(gr.Textbox(label=t("ko", "batch_labels"), max_lines=1, elem_id="batch-labels"), "batch_labels")
    button = say(gr.Button(t("ko", "batch_run"), variant="primary", elem_id="batch-run"), "batch_run", "value")
    summary_md = gr.Markdown(elem_id="batch-summary")
    bins = [label for label, _ in histogram([])]
    hist = gr.BarPlot(
        x="range", y="answers", label=t("ko", "batch_hist"), elem_id="batch-hist", sort=bins, x_title=t("ko", "ax_range"),
        y_title=t("ko", "ax_answers"), y_lim=[0, MIN_Y_COUNT],
    )
    for prop, key in (("label", "batch_hist"), ("x_title", "ax_range"), ("y_title", "ax_answers")):
        say(hist, key, prop)
    table = say(gr.Dataframe(headers=t("ko", "h_batch"), interactive=False, elem_id="batch-table", wrap=True), "h_batch", "headers")
    files = say(
        gr.File(label=t("ko", "batch_downloads"), file_count="multiple", interactive=False, elem_id="batch-downloads"), "batch_downloads"
    )

    def on_batch(file, labels_v, lng, progress=gr.Progress()):
        return _grade_upload(page, file, labels_v, lng, progress)

    button.click(on_batch, [upload, labels, page.lang], [summary_md, hist, table, files], concurrency_id="batch", concurrency_limit=1,
                 api_name="on_batch")


def _grade_upload(page: Page, file, labels_v, lng, progress):
    """Grade an uploaded file in a process of its own; the summary, histogram, table rows and the three downloads."""
    import pandas as pd

    if not file:
        gr.Warning(t(lng, "batch_no_file"))
        return gr.skip(), gr.skip(), gr.skip(), gr.skip()
    src = Path(file if isinstance(file, str) else file.name)
    out_dir = Path(tempfile.mkdtemp(prefix="interview-batch-"))
    jsonl = out_dir / f"{src.stem}-graded.jsonl"
    try:
        # One process of its own with one encoder thread: the interview's graders keep a core.
        summary = run_batch(
            page.settings,
            src,
            jsonl,
            labels=(labels_v or "").strip() or None,
            progress_stream=None,
            kb=page.kb,
            audio=False,
            engine="processes",
            workers=1,
            threads=BATCH_THREADS,
            on_progress=lambda done, total: progress(done / max(total, 1), desc=t(lng, "batch_running")),
        )
    except InterviewError as e:
        gr.Warning(file_error(e, lng))  # a notice, not an error overlay: the upload stays for another try
        return gr.skip(), gr.skip(), gr.skip(), gr.skip()
    results = summary.results
    paths = [str(jsonl)]
    for ext in (".csv", ".html"):
        path = out_dir / f"{src.stem}-graded{ext}"
        write_output(path, results, summary, page.kb, title=src.name)
        paths.append(str(path))
    scores = [r.score for r in results if r.score is not None]
    text = t(
        lng,
        "batch_done",
        graded=summary.graded,
        rows=summary.rows,
        errors=summary.errors,
        mean=round(sum(scores) / len(scores), 1) if scores else "-",
        rate=round(summary.rate, 1),
    )
    if summary.agreement:
        text += "\n\n" + agreement_text(summary.agreement)
    rows = pd.DataFrame([result_row(page.kb, r, lng) for r in results[:SHOWN_ROWS]], columns=t(lng, "h_batch"))
    counts = histogram(scores)
    bars = pd.DataFrame({"range": [b for b, _ in counts], "answers": [n for _, n in counts]})
    return text, gr.update(value=bars, y_lim=[0, max(MIN_Y_COUNT, *(n for _, n in counts))]), rows, paths
