"""The Progress tab: a profile's attempts, score over time, the mean per topic, the weakest and due questions, an export."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import gradio as gr

from app.stats.summary import mean_by

from .auth import profile_of
from .page import Page
from .render import clock
from .texts import t


def build(page: Page, tab: gr.Tab) -> None:
    """Lay out the tab (inside `tab`) and register its handlers: refreshed when opened and on demand."""
    say = page.say
    refresh = say(gr.Button(t("ko", "refresh"), elem_id="refresh"), "refresh", "value")
    attempts = say(
        gr.Dataframe(
            headers=["time", "id", "score", "verdict", "hint", "duration", "missed"],
            label=t("ko", "attempts"),
            interactive=False,
            elem_id="attempts",
        ),
        "attempts",
    )
    with gr.Row():
        over_time = say(gr.LinePlot(x="time", y="score", label=t("ko", "over_time"), y_lim=[0, 100], elem_id="over-time"), "over_time")
        per_topic = say(gr.BarPlot(x="topic", y="score", label=t("ko", "per_topic"), y_lim=[0, 100], elem_id="per-topic"), "per_topic")
    with gr.Row():
        weakest = say(
            gr.Dataframe(headers=["id", "question", "mean", "attempts"], label=t("ko", "weakest"), interactive=False, elem_id="weakest"),
            "weakest",
        )
        due = say(
            gr.Dataframe(headers=["id", "question", "due", "state"], label=t("ko", "due"), interactive=False, elem_id="due"), "due"
        )
    marks = say(
        gr.Dataframe(headers=["id", "question", "⭐", "note"], label=t("ko", "bookmarks"), interactive=False, elem_id="bookmarks"),
        "bookmarks",
    )
    export = say(gr.DownloadButton(t("ko", "export"), elem_id="export"), "export", "value")
    kb, history = page.kb, page.history

    def on_progress(typed, lng, request: gr.Request):
        import pandas as pd

        prof = profile_of(request, typed)
        rows = history.attempts(prof)
        verdicts = t(lng, "verdicts")
        table = [
            [
                time.strftime("%Y-%m-%d %H:%M", time.localtime(a["created_at"])),
                a["question_id"],
                a["score"],
                verdicts.get(a["verdict"], a["verdict"]),
                "✓" if a["hint_used"] else "",
                clock(a["seconds"]) + (" 🎤" if a["spoken"] else ""),
                " | ".join(a["missed"]),
            ]
            for a in rows
        ]
        trend = pd.DataFrame({"time": [pd.Timestamp(a["created_at"], unit="s") for a in rows], "score": [a["score"] for a in rows]})
        topics = mean_by(rows, lambda a: a["topic"] or "-", lambda a: a["score"])
        topic_df = pd.DataFrame({"topic": list(topics), "score": [m for m, _ in topics.values()]})
        weak = sorted(history.averages(prof).items(), key=lambda kv: kv[1][0])[:10]
        question = lambda qid: kb.questions[qid].question if qid in kb.questions else ""  # noqa: E731
        weak_rows = [[qid, question(qid), round(m, 1), n] for qid, (m, n) in weak]
        now, states = time.time(), t(lng, "card_states")
        due_rows = [
            [qid, question(qid), t(lng, "due_now") if c.due <= now else time.strftime("%Y-%m-%d %H:%M", time.localtime(c.due)),
             states.get(c.state, c.state)]
            for qid, c in history.schedule(prof)
        ]
        mark_rows = [[qid, question(qid), "⭐" if marked else "", text] for qid, marked, text in history.notes(prof)]
        path = Path(tempfile.mkdtemp(prefix="interview-export-")) / f"history-{prof}.csv"
        path.write_text("\ufeff" + history.export_csv(prof), encoding="utf-8")
        return table, trend, topic_df, weak_rows, due_rows, mark_rows, gr.update(value=str(path))

    outputs = [attempts, over_time, per_topic, weakest, due, marks, export]
    refresh.click(on_progress, [page.profile, page.lang], outputs, api_name="on_progress")
    tab.select(on_progress, [page.profile, page.lang], outputs, api_name="on_progress_tab")
