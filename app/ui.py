"""The web app: a Gradio shell over interview, grading, ask and history.

>>> demo = build(kb, History(settings.history_path), settings)
>>> demo.queue(max_size=256).launch(server_name="127.0.0.1")

Each browser session keeps its own interview in `gr.State`; a token in the browser's local
storage names it, and the unfinished interview is saved under that token after every
step, so a reload resumes it. Attempts are written when they are graded.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
import uuid
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402

from index.errors import InterviewError  # noqa: E402

from . import interview as flow  # noqa: E402
from .ask import ask  # noqa: E402
from .history import History  # noqa: E402
from .render import CSS, ask_html, esc, feedback_html, md_text  # noqa: E402
from .texts import TEXTS, t  # noqa: E402

MAX_ANSWER_CHARS = 20_000  # an answer is cut here, with a notice; the grader reads the first 4,000
MAX_QUERY_CHARS = 2_000  # an Ask query is cut here, with a notice
MAX_ECHO_CHARS = 2_000  # the chat shows this much of a long answer, then how much more there was
GRADERS = 2  # interview steps graded at once (one per core); Ask and Batch have slots of their own
BATCH_THREADS = 1  # encoder threads of the web app's batch process
MAX_UPLOAD = "20mb"  # a batch file: about 50,000 answers of 400 characters
HIST_BINS = [f"{b}-{b + 9}" for b in range(0, 90, 10)] + ["90-100"]  # the batch score histogram's bars


def _profile(request: gr.Request | None, typed: str) -> str:
    """The authenticated user name, else the profile the user typed (or 'default')."""
    user = getattr(request, "username", None) if request is not None else None
    return user or (typed or "").strip()[:64] or "default"


def _question_message(kb, iv: flow.Interview, lang: str) -> str:
    q = kb.questions[iv.current]
    if iv.current != iv.main:
        return t(lang, "followup", qid=q.id, q=md_text(q.question))
    k = len([tn for tn in iv.turns if not tn.follow_up]) + 1
    return t(lang, "question", k=k, qid=q.id, q=md_text(q.question))


def _summary_outputs(kb, iv: flow.Interview | None, lang: str):
    if iv is None or not iv.finished or not iv.turns:
        return gr.update(visible=False), gr.update(visible=False), gr.update(visible=False)
    s = flow.summary(kb, iv)
    rows = [[r["question_id"], r["question"], r["score"], t(lang, "verdicts").get(r["verdict"], r["verdict"]), "✓" if r["hint"] else ""] for r in s["rows"]]
    import pandas as pd

    topics = pd.DataFrame({"topic": list(s["topics"]), "score": list(s["topics"].values())})
    return (gr.update(value=t(lang, "total", mean=s["mean"], n=len(rows)), visible=True),
            gr.update(value=rows, visible=True), gr.update(value=topics, visible=True))


def build(kb, history: History, settings, auth: bool = False) -> gr.Blocks:
    """The Blocks app over a loaded Knowledge, a History and the Settings (for batch runs)."""
    banks = [b.slug for b in kb.banks]

    with gr.Blocks(title="AI Interview Coach") as demo:
        token = gr.BrowserState(None, storage_key="interview-coach-token")
        iv_state = gr.State(None)
        with gr.Row():
            title = gr.Markdown(t("ko", "title"))
            lang = gr.Radio([("한국어", "ko"), ("English", "en")], value="ko", label=t("ko", "language"), scale=0, elem_id="lang")
        profile = gr.Textbox(value="default", label=t("ko", "profile"), visible=not auth, max_lines=1, elem_id="profile")

        with gr.Tabs():
            with gr.Tab(t("ko", "tab_interview"), id="interview") as tab_iv:
                with gr.Row():
                    bank = gr.Dropdown(banks, value=banks[0], label=t("ko", "bank"), elem_id="bank")
                    topics = gr.Dropdown(flow.topics(kb, banks[0]), multiselect=True, label=t("ko", "topics"), elem_id="topics")
                    count = gr.Slider(1, 20, value=3, step=1, label=t("ko", "count"), elem_id="count")
                    mode = gr.Radio([(v, k) for k, v in TEXTS["ko"]["modes"].items()], value="in-order", label=t("ko", "mode"), elem_id="mode")
                start_btn = gr.Button(t("ko", "start"), variant="primary", elem_id="start")
                chat = gr.Chatbot(height=420, elem_id="chat", label="", sanitize_html=True)
                answer = gr.Textbox(lines=1, max_lines=12, label=t("ko", "answer"), elem_id="answer")
                with gr.Row():
                    send_btn = gr.Button(t("ko", "send"), variant="primary", elem_id="send")
                    hint_btn = gr.Button(t("ko", "hint"), elem_id="hint")
                    skip_btn = gr.Button(t("ko", "skip"), elem_id="skip")
                    reveal_btn = gr.Button(t("ko", "reveal"), elem_id="reveal")
                    end_btn = gr.Button(t("ko", "end"), variant="stop", elem_id="end")
                feedback = gr.HTML(elem_id="feedback")
                total = gr.Markdown(visible=False, elem_id="total")
                table = gr.Dataframe(headers=["id", "question", "score", "verdict", "hint"], visible=False, elem_id="summary", interactive=False)
                chart = gr.BarPlot(x="topic", y="score", visible=False, y_lim=[0, 100], elem_id="summary-chart")
            with gr.Tab(t("ko", "tab_ask"), id="ask") as tab_ask:
                query = gr.Textbox(label=t("ko", "ask_box"), elem_id="query", max_lines=3)
                ask_btn = gr.Button(t("ko", "ask_btn"), variant="primary", elem_id="ask-btn")
                ask_out = gr.HTML(elem_id="ask-out")
            with gr.Tab(t("ko", "tab_batch"), id="batch") as tab_batch:
                batch_help_md = gr.Markdown(t("ko", "batch_help"), elem_id="batch-help")
                with gr.Row():
                    upload = gr.File(label=t("ko", "batch_file"), file_types=[".csv", ".jsonl", ".xlsx"], elem_id="batch-file")
                    labels_col = gr.Textbox(label=t("ko", "batch_labels"), max_lines=1, elem_id="batch-labels")
                batch_btn = gr.Button(t("ko", "batch_run"), variant="primary", elem_id="batch-run")
                batch_summary = gr.Markdown(elem_id="batch-summary")
                batch_hist = gr.BarPlot(x="range", y="answers", label=t("ko", "batch_hist"), elem_id="batch-hist", sort=HIST_BINS)
                batch_table = gr.Dataframe(headers=["id", "line", "respondent", "question", "score", "verdict", "error"], interactive=False, elem_id="batch-table")
                batch_files = gr.File(label=t("ko", "batch_downloads"), file_count="multiple", interactive=False, elem_id="batch-downloads")
            with gr.Tab(t("ko", "tab_progress"), id="progress") as tab_pr:
                refresh_btn = gr.Button(t("ko", "refresh"), elem_id="refresh")
                attempts = gr.Dataframe(headers=["time", "id", "score", "verdict", "hint", "missed"], label=t("ko", "attempts"), interactive=False, elem_id="attempts")
                with gr.Row():
                    over_time = gr.LinePlot(x="time", y="score", label=t("ko", "over_time"), y_lim=[0, 100], elem_id="over-time")
                    per_topic = gr.BarPlot(x="topic", y="score", label=t("ko", "per_topic"), y_lim=[0, 100], elem_id="per-topic")
                with gr.Row():
                    weakest = gr.Dataframe(headers=["id", "question", "mean", "attempts"], label=t("ko", "weakest"), interactive=False, elem_id="weakest")
                    due = gr.Dataframe(headers=["id", "question", "due"], label=t("ko", "due"), interactive=False, elem_id="due")
                export_btn = gr.DownloadButton(t("ko", "export"), elem_id="export")

        # ---- handlers ---------------------------------------------------------------------
        def on_load(tok, typed, lng, request: gr.Request):
            tok = tok or uuid.uuid4().hex
            found = history.load_session(tok)
            user = getattr(request, "username", None)
            # Logged-in users resume only their own interview; otherwise the token (private to
            # this browser) brings back the profile it was saved under.
            if not found or (user and found[0] != user):
                return tok, None, [], "", gr.update()
            prof, saved = found
            iv = flow.Interview.from_dict(saved["interview"])
            chat_value = saved["chat"] + [{"role": "assistant", "content": t(lng, "resumed")}]
            return tok, iv.to_dict(), chat_value, saved.get("feedback", ""), gr.update(value=prof)

        def _save(tok, prof, iv: flow.Interview, chat_value, fb):
            if iv.finished:
                history.clear_session(tok)
            else:
                history.save_session(tok, prof, {"interview": iv.to_dict(), "chat": chat_value, "feedback": fb})

        def on_start(bank_v, topics_v, count_v, mode_v, typed, lng, tok, request: gr.Request):
            prof = _profile(request, typed)
            try:
                iv = flow.start(kb, history, prof, bank_v, mode_v, int(count_v), topics_v or None, seed=int(time.time()))
            except InterviewError as e:
                raise gr.Error(str(e))
            chat_value = [{"role": "assistant", "content": t(lng, "intro", n=len(iv.plan) + 1)},
                          {"role": "assistant", "content": _question_message(kb, iv, lng)}]
            _save(tok, prof, iv, chat_value, "")
            return (iv.to_dict(), chat_value, "", *_summary_outputs(kb, None, lng))

        def _after_step(iv, chat_value, fb, lng, tok, prof):
            if iv.finished:
                chat_value.append({"role": "assistant", "content": t(lng, "finished")})
            else:
                chat_value.append({"role": "assistant", "content": _question_message(kb, iv, lng)})
            _save(tok, prof, iv, chat_value, fb)
            return (iv.to_dict(), chat_value, fb, *_summary_outputs(kb, iv, lng))

        def on_answer(text, iv_d, chat_value, lng, tok, typed, request: gr.Request):
            if not iv_d or flow.Interview.from_dict(iv_d).current is None:
                gr.Warning(t(lng, "no_interview"))
                return (text, iv_d, chat_value, gr.update(), *_summary_outputs(kb, None, lng))
            if not (text or "").strip():
                gr.Warning(t(lng, "empty_answer"))
                return (text, iv_d, chat_value, gr.update(), *_summary_outputs(kb, None, lng))
            iv = flow.Interview.from_dict(iv_d)
            prof = _profile(request, typed)
            q = kb.questions[iv.current]
            if len(text) > MAX_ANSWER_CHARS:
                gr.Warning(t(lng, "too_long", n=f"{len(text):,}", limit=f"{MAX_ANSWER_CHARS:,}"))
                text = text[:MAX_ANSWER_CHARS]
            g = flow.answer(kb, history, iv, text, session=tok or "")
            verdict = t(lng, "verdicts").get(g.verdict, g.verdict)
            shown = md_text(text[:MAX_ECHO_CHARS]) + (t(lng, "more_chars", n=f"{len(text) - MAX_ECHO_CHARS:,}") if len(text) > MAX_ECHO_CHARS else "")
            chat_value = list(chat_value) + [{"role": "user", "content": shown},
                                             {"role": "assistant", "content": f"**{t(lng, 'score_line', score=g.score, verdict=verdict)}**"}]
            return ("", *_after_step(iv, chat_value, feedback_html(g, q, kb, lng), lng, tok, prof))

        def on_give_up(kind):
            def handler(iv_d, chat_value, lng, tok, typed, request: gr.Request):
                if not iv_d or flow.Interview.from_dict(iv_d).current is None:
                    gr.Warning(t(lng, "no_interview"))
                    return (iv_d, chat_value, gr.update(), *_summary_outputs(kb, None, lng))
                iv = flow.Interview.from_dict(iv_d)
                prof = _profile(request, typed)
                q = flow.skip(kb, history, iv, verdict=kind, session=tok or "")
                from .render import entry_html

                fb = entry_html(q, lng, open_=True) if kind == "revealed" else ""
                note = t(lng, "revealed") if kind == "revealed" else t(lng, "skipped")
                chat_value = list(chat_value) + [{"role": "assistant", "content": note}]
                return _after_step(iv, chat_value, fb, lng, tok, prof)
            return handler

        def on_hint(iv_d, chat_value, lng, tok, typed, request: gr.Request):
            if not iv_d or flow.Interview.from_dict(iv_d).current is None:
                gr.Warning(t(lng, "no_interview"))
                return iv_d, chat_value
            iv = flow.Interview.from_dict(iv_d)
            point = flow.hint(kb, iv)
            msg = t(lng, "hint_msg", point=md_text(point)) if point else t(lng, "no_hint")
            chat_value = list(chat_value) + [{"role": "assistant", "content": msg}]
            _save(tok, _profile(request, typed), iv, chat_value, "")
            return iv.to_dict(), chat_value

        def on_end(iv_d, chat_value, lng, tok, typed, request: gr.Request):
            if not iv_d:
                return (iv_d, chat_value, gr.update(), *_summary_outputs(kb, None, lng))
            iv = flow.Interview.from_dict(iv_d)
            flow.end(iv)
            chat_value = list(chat_value) + [{"role": "assistant", "content": t(lng, "finished")}]
            _save(tok, _profile(request, typed), iv, chat_value, "")
            return (iv.to_dict(), chat_value, gr.update(), *_summary_outputs(kb, iv, lng))

        def on_ask(text, lng):
            if len(text or "") > MAX_QUERY_CHARS:
                gr.Warning(t(lng, "query_too_long", n=f"{len(text):,}", limit=f"{MAX_QUERY_CHARS:,}"))
                text = text[:MAX_QUERY_CHARS]
            try:
                return ask_html(ask(kb, text), kb, lng)
            except InterviewError as e:
                raise gr.Error(str(e))

        def on_batch(file, labels_v, lng, progress=gr.Progress()):
            import pandas as pd

            from eval.batch import run_batch, write_output

            if not file:
                raise gr.Error(t(lng, "batch_no_file"))
            src = Path(file if isinstance(file, str) else file.name)
            out_dir = Path(tempfile.mkdtemp(prefix="interview-batch-"))
            jsonl = out_dir / f"{src.stem}-graded.jsonl"
            try:
                # One process of its own with one encoder thread: the interview's graders keep a core.
                summary = run_batch(settings, src, jsonl, labels=(labels_v or "").strip() or None, progress_stream=None, kb=kb,
                                    engine="processes", workers=1, threads=BATCH_THREADS,
                                    on_progress=lambda done, total: progress(done / max(total, 1), desc=t(lng, "batch_running")))
            except InterviewError as e:
                raise gr.Error(str(e))
            results = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines() if line.strip()]
            files = [str(jsonl)]
            for ext in (".csv", ".html"):
                path = out_dir / f"{src.stem}-graded{ext}"
                write_output(path, results, summary, kb, title=src.name)
                files.append(str(path))
            scores = [r["score"] for r in results if r.get("score") is not None]
            counts = [sum(1 for s in scores if min(s // 10, 9) == i) for i in range(10)]
            text = t(lng, "batch_done", graded=summary.graded, rows=summary.rows, errors=summary.errors,
                     mean=round(sum(scores) / len(scores), 1) if scores else "-", rate=round(summary.rate, 1))
            if summary.agreement:
                a = summary.agreement
                text += f"\n\nPearson {a['pearson']:.3f} · Spearman {a['spearman']:.3f} · QWK {a['qwk']:.3f} · RMSE {a['rmse']:.3f}"
            table_rows = [[r["id"], r["line"], r.get("respondent") or "", r.get("question_id") or "", r.get("score"), TEXTS[lng]["verdicts"].get(r.get("verdict") or "", r.get("verdict") or ""), r.get("error") or ""] for r in results[:500]]
            return text, pd.DataFrame({"range": HIST_BINS, "answers": counts}), table_rows, files

        def on_progress(typed, lng, request: gr.Request):
            import pandas as pd

            prof = _profile(request, typed)
            rows = history.attempts(prof)
            table_rows = [[time.strftime("%Y-%m-%d %H:%M", time.localtime(a["created_at"])), a["question_id"], a["score"],
                           t(lng, "verdicts").get(a["verdict"], a["verdict"]), "✓" if a["hint_used"] else "", " | ".join(a["missed"])] for a in rows]
            trend = pd.DataFrame({"time": [pd.Timestamp(a["created_at"], unit="s") for a in rows], "score": [a["score"] for a in rows]})
            by_topic: dict[str, list[int]] = {}
            for a in rows:
                by_topic.setdefault(a["topic"] or "-", []).append(a["score"])
            topic_df = pd.DataFrame({"topic": list(by_topic), "score": [sum(v) / len(v) for v in by_topic.values()]})
            avg = history.averages(prof)
            weak = sorted(avg.items(), key=lambda kv: kv[1][0])[:10]
            weak_rows = [[qid, kb.questions[qid].question if qid in kb.questions else "", round(m, 1), n] for qid, (m, n) in weak]
            due_rows = [[qid, kb.questions[qid].question if qid in kb.questions else "", time.strftime("%Y-%m-%d %H:%M", time.localtime(d))] for qid, d in history.due(prof)]
            path = Path(tempfile.mkdtemp(prefix="interview-export-")) / f"history-{prof}.csv"
            path.write_text("\ufeff" + history.export_csv(prof), encoding="utf-8")
            return table_rows, trend, topic_df, weak_rows, due_rows, gr.update(value=str(path))

        def on_lang(lng):
            modes = [(v, k) for k, v in TEXTS[lng]["modes"].items()]
            return (gr.update(value=t(lng, "title")), gr.update(label=t(lng, "profile")), gr.update(label=t(lng, "bank")),
                    gr.update(label=t(lng, "topics")), gr.update(label=t(lng, "count")), gr.update(label=t(lng, "mode"), choices=modes),
                    gr.update(value=t(lng, "start")), gr.update(label=t(lng, "answer")), gr.update(value=t(lng, "send")),
                    gr.update(value=t(lng, "hint")), gr.update(value=t(lng, "skip")), gr.update(value=t(lng, "reveal")),
                    gr.update(value=t(lng, "end")), gr.update(label=t(lng, "ask_box")), gr.update(value=t(lng, "ask_btn")),
                    gr.update(value=t(lng, "refresh")), gr.update(value=t(lng, "export")), gr.update(label=t(lng, "tab_interview")),
                    gr.update(label=t(lng, "tab_ask")), gr.update(label=t(lng, "tab_progress")), gr.update(label=t(lng, "language")),
                    gr.update(label=t(lng, "tab_batch")), gr.update(value=t(lng, "batch_help")), gr.update(label=t(lng, "batch_file")),
                    gr.update(label=t(lng, "batch_labels")), gr.update(value=t(lng, "batch_run")), gr.update(label=t(lng, "batch_downloads")))

        # ---- wiring -------------------------------------------------------------------------
        # Every interview step shares GRADERS slots; Ask and Batch queue apart, so a long batch
        # run or a burst of questions never holds up the next graded answer.
        step = dict(concurrency_id="interview", concurrency_limit=GRADERS)
        step_out = [iv_state, chat, feedback, total, table, chart]
        demo.load(on_load, [token, profile, lang], [token, iv_state, chat, feedback, profile], **step)
        bank.change(lambda b: gr.update(choices=flow.topics(kb, b), value=[]), bank, topics)
        start_btn.click(on_start, [bank, topics, count, mode, profile, lang, token], step_out, **step)
        for trigger in (answer.submit, send_btn.click):
            trigger(on_answer, [answer, iv_state, chat, lang, token, profile], [answer, *step_out], **step)
        hint_btn.click(on_hint, [iv_state, chat, lang, token, profile], [iv_state, chat], **step)
        skip_btn.click(on_give_up("skipped"), [iv_state, chat, lang, token, profile], step_out, **step)
        reveal_btn.click(on_give_up("revealed"), [iv_state, chat, lang, token, profile], step_out, **step)
        end_btn.click(on_end, [iv_state, chat, lang, token, profile], step_out, **step)
        for trigger in (query.submit, ask_btn.click):
            trigger(on_ask, [query, lang], ask_out, concurrency_id="ask", concurrency_limit=1)
        progress_out = [attempts, over_time, per_topic, weakest, due, export_btn]
        batch_btn.click(on_batch, [upload, labels_col, lang], [batch_summary, batch_hist, batch_table, batch_files],
                        concurrency_id="batch", concurrency_limit=1)
        refresh_btn.click(on_progress, [profile, lang], progress_out)
        tab_pr.select(on_progress, [profile, lang], progress_out)
        lang.change(on_lang, lang, [title, profile, bank, topics, count, mode, start_btn, answer, send_btn, hint_btn, skip_btn,
                                    reveal_btn, end_btn, query, ask_btn, refresh_btn, export_btn, tab_iv, tab_ask, tab_pr, lang,
                                    tab_batch, batch_help_md, upload, labels_col, batch_btn, batch_files])
    return demo


def serve(kb, history: History, settings, host: str = "127.0.0.1", port: int = 7860, auth: list[tuple[str, str]] | None = None,
          block: bool = True):
    """Start the app (a bounded queue; the slots per kind of event are set in `build`); returns the
    Blocks when not blocking."""
    demo = build(kb, history, settings, auth=auth is not None)
    demo.queue(default_concurrency_limit=2, max_size=256)
    demo.launch(server_name=host, server_port=port, auth=auth, share=False, show_error=True, quiet=True,
                prevent_thread_lock=not block, css=CSS, max_file_size=MAX_UPLOAD, footer_links=[], enable_monitoring=False)
    return demo


__all__ = ["build", "serve", "esc"]
