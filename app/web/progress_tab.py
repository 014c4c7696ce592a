"""The Progress tab: a profile's attempts, score over time, the mean per topic, the weakest and due questions, an export."""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

import gradio as gr

from app.grading.grade import BANDS, verdict_for
from app.stats.summary import mean_by

from .auth import profile_of
from .page import Page
from .render import clock, topic_frame
from .texts import t

BAND_NAMES = {name for _, name, _ in BANDS}


def shown_verdict(a: dict, lang: str) -> str:
    """An attempt's verdict in the page's language; an overruled score shows its own band and the grader's score."""
    verdicts = t(lang, "verdicts")
    if not a["overruled"]:
        return verdicts.get(a["verdict"], a["verdict"])
    verdict = verdict_for(a["score"]) if a["verdict"] in BAND_NAMES else a["verdict"]
    return t(lang, "overruled_cell", verdict=verdicts.get(verdict, verdict), graded=a["graded_score"])


def stamp(when: float) -> str:
    """An attempt's time on the chart's axis: month-day and time of day, to the second (in order as text)."""
    return time.strftime("%m-%d %H:%M:%S", time.localtime(when))


def build(page: Page, tab: gr.Tab) -> None:
    """Lay out the tab (inside `tab`) and register its handlers: refreshed when opened and on demand."""
    say = page.say
    refresh = say(gr.Button(t("ko", "refresh"), elem_id="refresh"), "refresh", "value")

    def table(key: str, headers: str, elem_id: str) -> gr.Dataframe:
        frame = gr.Dataframe(headers=t("ko", headers), label=t("ko", key), interactive=False, elem_id=elem_id, wrap=True)
        return say(say(frame, key), headers, "headers")

    attempts = table("attempts", "h_attempts", "attempts")
    with gr.Row():
        over_time = gr.LinePlot(
            x="time", y="score", label=t("ko", "over_time"), y_lim=[0, 100], elem_id="over-time", x_label_angle=-30, sort="x",
            x_title=t("ko", "ax_time"), y_title=t("ko", "ax_score"),
        )
        per_topic = gr.BarPlot(
            x="topic", y="score", label=t("ko", "per_topic"), y_lim=[0, 100], elem_id="per-topic", x_title=t("ko", "ax_topic"),
            y_title=t("ko", "ax_score"),
        )
        for chart, key, x in ((over_time, "over_time", "ax_time"), (per_topic, "per_topic", "ax_topic")):
            for prop, text in (("label", key), ("x_title", x), ("y_title", "ax_score")):
                say(chart, text, prop)
    with gr.Row():
        weakest = table("weakest", "h_weakest", "weakest")
        due = table("due", "h_due", "due")
    marks = table("bookmarks", "h_bookmarks", "bookmarks")
    with gr.Row():
        export = say(gr.DownloadButton(t("ko", "export"), elem_id="export"), "export", "value")
        labels = say(gr.DownloadButton(t("ko", "export_labels"), elem_id="export-labels"), "export_labels", "value")
    kb, history = page.kb, page.history

    def on_progress(typed, lng, request: gr.Request):
        import pandas as pd

        prof = profile_of(request, typed)
        rows = history.attempts(prof)
        listed = [
            [
                time.strftime("%Y-%m-%d %H:%M", time.localtime(a["created_at"])),
                a["question_id"],
                a["score"],
                shown_verdict(a, lng),
                "✓" if a["hint_used"] else "",
                clock(a["seconds"]) + (" 🎤" if a["spoken"] else ""),
                " | ".join(a["missed"]),
            ]
            for a in rows
        ]
        # Times as text ("12-02 18:41:07", in order): a time axis over a few minutes ticks ":15 :30 06 PM".
        trend = pd.DataFrame({"time": [stamp(a["created_at"]) for a in rows], "score": [a["score"] for a in rows]})
        topics = mean_by(rows, lambda a: a["topic"] or "-", lambda a: a["score"])
        topic_df = topic_frame(topics)
        weak = sorted(history.averages(prof).items(), key=lambda kv: kv[1][0])[:10]
        question = lambda qid: kb.questions[qid].question if qid in kb.questions else ""  # noqa: E731
        weak_rows = [[qid, question(qid), round(m, 1), n] for qid, (m, n) in weak]
        now, states = time.time(), t(lng, "card_states")
        due_rows = [
            [qid, question(qid), t(lng, "due_now") if c.due <= now else time.strftime("%Y-%m-%d %H:%M", time.localtime(c.due)),
             states.get(c.state, c.state)]
            for qid, c in history.schedule(prof)
        ]
        mark_rows = [[qid, question(qid), t(lng, "bookmarked") if marked else "", text] for qid, marked, text in history.notes(prof)]
        folder = Path(tempfile.mkdtemp(prefix="interview-export-"))
        path, corrections = folder / f"history-{prof}.csv", folder / f"corrections-{prof}.jsonl"
        path.write_text("\ufeff" + history.export_csv(prof), encoding="utf-8")
        corrections.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in history.labels(prof)), encoding="utf-8")
        frames = [pd.DataFrame(v, columns=t(lng, h)) for v, h in ((listed, "h_attempts"), (weak_rows, "h_weakest"), (due_rows, "h_due"),
                                                                   (mark_rows, "h_bookmarks"))]
        downloads = gr.update(value=str(path)), gr.update(value=str(corrections))
        return frames[0], trend, topic_df, frames[1], frames[2], frames[3], *downloads

    outputs = [attempts, over_time, per_topic, weakest, due, marks, export, labels]
    refresh.click(on_progress, [page.profile, page.lang], outputs, api_name="on_progress")
    tab.select(on_progress, [page.profile, page.lang], outputs, api_name="on_progress_tab")
