"""The mock-interview tab: setup, the chat, the answer box and its buttons, the feedback and the summary.

Each browser session keeps its interview in `gr.State`; after every step the unfinished
interview is saved under the browser's token (in the same transaction as the attempt), so a
reload resumes it. Handlers return dicts keyed by component, so no output order has to match.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

import gradio as gr

from app.core.limits import MAX_ANSWER_CHARS, MAX_ECHO_CHARS
from app.practice import interview as flow
from app.practice.history import SessionStep
from index.errors import InterviewError

from .auth import profile_of
from .page import Page, text_value
from .render import entry_html, feedback_html, md_text
from .texts import t

GRADERS = 2  # interview steps graded at once (one per core); Ask and Batch have slots of their own


@dataclass
class Controls:
    iv_state: gr.State
    bank: gr.Dropdown
    topics: gr.Dropdown
    count: gr.Slider
    mode: gr.Radio
    start: gr.Button
    chat: gr.Chatbot
    answer: gr.Textbox
    send: gr.Button
    hint: gr.Button
    skip: gr.Button
    reveal: gr.Button
    end: gr.Button
    feedback: gr.HTML
    total: gr.Markdown
    table: gr.Dataframe
    chart: gr.BarPlot

    @property
    def step_outputs(self) -> list:
        return [self.iv_state, self.chat, self.feedback, self.total, self.table, self.chart]


def build(page: Page) -> Controls:
    """Lay out the tab's components (inside an open gr.Tab) and register their handlers."""
    kb, say = page.kb, page.say
    banks = [b.slug for b in kb.banks]
    iv_state = gr.State(None)
    with gr.Row():
        bank = say(gr.Dropdown(banks, value=banks[0], label=t("ko", "bank"), elem_id="bank"), "bank")
        topics = say(gr.Dropdown(flow.topics(kb, banks[0]), multiselect=True, label=t("ko", "topics"), elem_id="topics"), "topics")
        count = say(gr.Slider(1, 20, value=3, step=1, label=t("ko", "count"), elem_id="count"), "count")
        mode = say(gr.Radio(text_value("ko", "modes", "choices"), value="in-order", label=t("ko", "mode"), elem_id="mode"), "mode")
        say(mode, "modes", "choices")
    start = say(gr.Button(t("ko", "start"), variant="primary", elem_id="start"), "start", "value")
    chat = gr.Chatbot(height=420, elem_id="chat", label="", sanitize_html=True)
    answer = say(gr.Textbox(lines=1, max_lines=12, label=t("ko", "answer"), elem_id="answer"), "answer")
    with gr.Row():
        send = say(gr.Button(t("ko", "send"), variant="primary", elem_id="send"), "send", "value")
        hint = say(gr.Button(t("ko", "hint"), elem_id="hint"), "hint", "value")
        skip = say(gr.Button(t("ko", "skip"), elem_id="skip"), "skip", "value")
        reveal = say(gr.Button(t("ko", "reveal"), elem_id="reveal"), "reveal", "value")
        end = say(gr.Button(t("ko", "end"), variant="stop", elem_id="end"), "end", "value")
    feedback = gr.HTML(elem_id="feedback")
    total = gr.Markdown(visible=False, elem_id="total")
    table = gr.Dataframe(headers=["id", "question", "score", "verdict", "hint"], visible=False, elem_id="summary", interactive=False)
    chart = gr.BarPlot(x="topic", y="score", visible=False, y_lim=[0, 100], elem_id="summary-chart")
    c = Controls(iv_state, bank, topics, count, mode, start, chat, answer, send, hint, skip, reveal, end, feedback, total, table, chart)
    _wire(page, c)
    return c


def _wire(page: Page, c: Controls) -> None:
    """Every interview step shares GRADERS slots; Ask and Batch queue apart."""
    h = _Handlers(page, c)
    step = dict(concurrency_id="interview", concurrency_limit=GRADERS)
    common = [c.iv_state, c.chat, page.lang, page.token, page.profile]
    page_load = [page.token, page.profile, page.lang]
    # The API names are the app's public API (gradio_client scripts and the load tests use them).
    c.bank.change(lambda b: gr.update(choices=flow.topics(page.kb, b), value=[]), c.bank, c.topics, api_name="on_bank")
    setup = [c.bank, c.topics, c.count, c.mode, page.profile, page.lang, page.token]
    c.start.click(h.start, setup, c.step_outputs, api_name="on_start", **step)
    c.answer.submit(h.answer, [c.answer, *common], [c.answer, *c.step_outputs], api_name="on_answer", **step)
    c.send.click(h.answer, [c.answer, *common], [c.answer, *c.step_outputs], api_name="on_send", **step)
    c.hint.click(h.hint, common, [c.iv_state, c.chat], api_name="on_hint", **step)
    c.skip.click(h.give_up("skipped"), common, c.step_outputs, api_name="on_skip", **step)
    c.reveal.click(h.give_up("revealed"), common, c.step_outputs, api_name="on_reveal", **step)
    c.end.click(h.end, common, c.step_outputs, api_name="on_end", **step)
    page.loaders.append((h.load, page_load, [page.token, c.iv_state, c.chat, c.feedback, page.profile], dict(step, api_name="on_load")))


class _Handlers:
    def __init__(self, page: Page, c: Controls) -> None:
        self.page, self.c, self.kb, self.history = page, c, page.kb, page.history

    # ---- helpers -------------------------------------------------------------------------
    def _question_message(self, iv: flow.Interview, lang: str) -> str:
        q = self.kb.questions[iv.current]
        if iv.current != iv.main:
            return t(lang, "followup", qid=q.id, q=md_text(q.question))
        k = len([tn for tn in iv.turns if not tn.follow_up]) + 1
        return t(lang, "question", k=k, qid=q.id, q=md_text(q.question))

    def _summary(self, iv: flow.Interview | None, lang: str) -> dict:
        c = self.c
        if iv is None or not iv.finished or not iv.turns:
            return {c.total: gr.update(visible=False), c.table: gr.update(visible=False), c.chart: gr.update(visible=False)}
        import pandas as pd

        s = flow.summary(self.kb, iv)
        rows = [
            [r["question_id"], r["question"], r["score"], t(lang, "verdicts").get(r["verdict"], r["verdict"]), "✓" if r["hint"] else ""]
            for r in s["rows"]
        ]
        topics = pd.DataFrame({"topic": list(s["topics"]), "score": list(s["topics"].values())})
        return {
            c.total: gr.update(value=t(lang, "total", mean=s["mean"], n=len(rows)), visible=True),
            c.table: gr.update(value=rows, visible=True),
            c.chart: gr.update(value=topics, visible=True),
        }

    def _next_message(self, iv: flow.Interview, lang: str) -> dict:
        if iv.finished:
            return {"role": "assistant", "content": t(lang, "finished")}
        return {"role": "assistant", "content": self._question_message(iv, lang)}

    @staticmethod
    def _step(tok: str, prof: str, iv: flow.Interview, chat_value: list, fb: str) -> SessionStep:
        """What to save under the browser's token: the interview with its chat, or nothing once it is over."""
        state = None if iv.finished else {"interview": iv.to_dict(), "chat": chat_value, "feedback": fb}
        return SessionStep(tok, prof, state)

    def _outputs(self, iv: flow.Interview | None, chat_value, fb, lang: str) -> dict:
        c = self.c
        return {c.iv_state: iv.to_dict() if iv else None, c.chat: chat_value, c.feedback: fb, **self._summary(iv, lang)}

    def _unchanged(self, iv_d, chat_value, lang: str) -> dict:
        c = self.c
        return {c.iv_state: iv_d, c.chat: chat_value, c.feedback: gr.update(), **self._summary(None, lang)}

    @staticmethod
    def _running(iv_d) -> flow.Interview | None:
        iv = flow.Interview.from_dict(iv_d) if iv_d else None
        return iv if iv is not None and iv.current is not None else None

    # ---- events --------------------------------------------------------------------------
    def load(self, tok, typed, lng, request: gr.Request):
        tok = tok or uuid.uuid4().hex
        found = self.history.load_session(tok)
        user = getattr(request, "username", None)
        # Logged-in users resume only their own interview; otherwise the token (private to this
        # browser) brings back the profile it was saved under.
        if not found or (user and found[0] != user):
            return tok, None, [], "", gr.update()
        prof, saved = found
        iv = flow.Interview.from_dict(saved["interview"])
        chat_value = saved["chat"] + [{"role": "assistant", "content": t(lng, "resumed")}]
        return tok, iv.to_dict(), chat_value, saved.get("feedback", ""), gr.update(value=prof)

    def start(self, bank_v, topics_v, count_v, mode_v, typed, lng, tok, request: gr.Request):
        prof = profile_of(request, typed)
        try:
            iv = flow.start(self.kb, self.history, prof, bank_v, mode_v, int(count_v), topics_v or None, seed=int(time.time()))
        except InterviewError as e:
            raise gr.Error(str(e)) from None
        chat_value = [
            {"role": "assistant", "content": t(lng, "intro", n=len(iv.plan) + 1)},
            {"role": "assistant", "content": self._question_message(iv, lng)},
        ]
        self.history.save_step(self._step(tok, prof, iv, chat_value, ""))
        return self._outputs(iv, chat_value, "", lng)

    def answer(self, text, iv_d, chat_value, lng, tok, typed, request: gr.Request):
        iv = self._running(iv_d)
        if iv is None or not (text or "").strip():
            gr.Warning(t(lng, "no_interview" if iv is None else "empty_answer"))
            return {self.c.answer: text, **self._unchanged(iv_d, chat_value, lng)}
        prof = profile_of(request, typed)
        q = self.kb.questions[iv.current]
        if len(text) > MAX_ANSWER_CHARS:
            gr.Warning(t(lng, "too_long", n=f"{len(text):,}", limit=f"{MAX_ANSWER_CHARS:,}"))
            text = text[:MAX_ANSWER_CHARS]
        shown = md_text(text[:MAX_ECHO_CHARS]) + (
            t(lng, "more_chars", n=f"{len(text) - MAX_ECHO_CHARS:,}") if len(text) > MAX_ECHO_CHARS else ""
        )
        after: dict = {}

        def save(iv_now, g):
            verdict = t(lng, "verdicts").get(g.verdict, g.verdict)
            after["fb"] = feedback_html(g, q, self.kb, lng, answer=text)
            after["chat"] = list(chat_value) + [
                {"role": "user", "content": shown},
                {"role": "assistant", "content": f"**{t(lng, 'score_line', score=g.score, verdict=verdict)}**"},
                self._next_message(iv_now, lng),
            ]
            return self._step(tok or "", prof, iv_now, after["chat"], after["fb"])

        flow.answer(self.kb, self.history, iv, text, session=tok or "", save=save)
        return {self.c.answer: "", **self._outputs(iv, after["chat"], after["fb"], lng)}

    def give_up(self, kind: str):
        def handler(iv_d, chat_value, lng, tok, typed, request: gr.Request):
            iv = self._running(iv_d)
            if iv is None:
                gr.Warning(t(lng, "no_interview"))
                return self._unchanged(iv_d, chat_value, lng)
            prof = profile_of(request, typed)
            q = self.kb.questions[iv.current]
            fb = entry_html(q, lng, open_=True) if kind == "revealed" else ""
            note = {"role": "assistant", "content": t(lng, "revealed" if kind == "revealed" else "skipped")}
            after: dict = {}

            def save(iv_now, _):
                after["chat"] = list(chat_value) + [note, self._next_message(iv_now, lng)]
                return self._step(tok or "", prof, iv_now, after["chat"], fb)

            flow.skip(self.kb, self.history, iv, verdict=kind, session=tok or "", save=save)
            return self._outputs(iv, after["chat"], fb, lng)

        return handler

    def hint(self, iv_d, chat_value, lng, tok, typed, request: gr.Request):
        iv = self._running(iv_d)
        if iv is None:
            gr.Warning(t(lng, "no_interview"))
            return iv_d, chat_value
        point = flow.hint(self.kb, iv)
        msg = t(lng, "hint_msg", point=md_text(point)) if point else t(lng, "no_hint")
        chat_value = list(chat_value) + [{"role": "assistant", "content": msg}]
        self.history.save_step(self._step(tok, profile_of(request, typed), iv, chat_value, ""))
        return iv.to_dict(), chat_value

    def end(self, iv_d, chat_value, lng, tok, typed, request: gr.Request):
        if not iv_d:
            return self._unchanged(iv_d, chat_value, lng)
        iv = flow.Interview.from_dict(iv_d)
        flow.end(iv)
        chat_value = list(chat_value) + [{"role": "assistant", "content": t(lng, "finished")}]
        self.history.save_step(self._step(tok, profile_of(request, typed), iv, chat_value, ""))
        return self._outputs(iv, chat_value, gr.update(), lng)
