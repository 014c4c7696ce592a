"""The Batch tab: an instructor uploads many people's answers and gets the grades, a histogram and reports."""

from __future__ import annotations

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
    hist = say(gr.BarPlot(x="range", y="answers", label=t("ko", "batch_hist"), elem_id="batch-hist", sort=bins), "batch_hist")
    table = gr.Dataframe(
        headers=["id", "line", "respondent", "question", "score", "verdict", "error"], interactive=False, elem_id="batch-table"
    )
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
        raise gr.Error(t(lng, "batch_no_file"))
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
        raise gr.Error(str(e)) from None
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
    verdicts = t(lng, "verdicts")
    rows = [
        [r.id, r.line, r.respondent or "", r.question_id or "", r.score, verdicts.get(r.verdict or "", r.verdict or ""), r.error or ""]
        for r in results[:SHOWN_ROWS]
    ]
    counts = histogram(scores)
    return text, pd.DataFrame({"range": [b for b, _ in counts], "answers": [n for _, n in counts]}), rows, paths
