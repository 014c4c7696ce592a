"""The mock-interview tab: setup, the chat, the answer box and its buttons, the feedback and the summary.

Each browser session keeps its interview in `gr.State`; after every step the unfinished
interview is saved under the browser's token (in the same transaction as the attempt), so a
reload resumes it. Handlers return dicts keyed by component, so no output order has to match.
"""

from __future__ import annotations

import re
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import gradio as gr

from app.core.limits import MAX_ANSWER_CHARS, MAX_AUDIO_SECONDS, MAX_ECHO_CHARS
from app.practice import interview as flow
from app.practice.history import SessionStep
from app.practice.report import summary_html
from index.errors import InterviewError

from .auth import profile_of
from .page import Page, text_value
from .render import (
    chat_feedback,
    clock,
    clock_html,
    delivery_html,
    entry_html,
    feedback_html,
    md_text,
    points_html,
    points_markdown,
    topic_frame,
)
from .texts import t

GRADERS = 2  # interview steps graded at once (one per core); Ask and Batch have slots of their own
# The page presses Send itself when the countdown ends, so an empty answer that arrives this close
# to the limit is a time-out (the browser's clock and the server's differ by the round trip).
TIMER_SLACK = 2.0
# An answer sent later than this after the limit is marked over time (its grade is unchanged).
OVER_TIME_GRACE = 3.0
# Whisper's language per page language: Korean answers are decoded as Korean (English terms kept);
# on the English page the language is detected (answers to Korean questions in English).
SPEECH_LANGUAGE = {"ko": "ko", "en": "auto"}
# A second press of Start over a running interview within this many seconds starts a new one.
CONFIRM_SECONDS = 15.0


@dataclass
class Controls:
    iv_state: gr.State
    bank: gr.Dropdown
    topics: gr.Dropdown
    count: gr.Slider
    mode: gr.Radio
    time_limit: gr.Dropdown
    tts: gr.Checkbox
    start: gr.Button
    chat: gr.Chatbot
    clock: gr.HTML
    answer: gr.Textbox
    mic: gr.Audio
    spoken: gr.State  # this question's recordings: [{"transcript": Transcript.to_dict(), "took": seconds}]
    send: gr.Button
    hint: gr.Button
    skip: gr.Button
    reveal: gr.Button
    end: gr.Button
    feedback: gr.HTML
    total: gr.Markdown
    table: gr.Dataframe
    chart: gr.BarPlot
    retry: gr.Button
    bookmark: gr.Checkbox
    note: gr.Textbox
    pressed: gr.State  # when 'Start' was pressed over a running interview (a second press within CONFIRM_SECONDS restarts)
    overrule: gr.Accordion  # the user overrules the last grade: which key points were said, and the score
    overrule_points: gr.CheckboxGroup
    overrule_score: gr.Slider
    overrule_save: gr.Button
    summary_file: gr.DownloadButton  # the finished interview's summary page (HTML, prints to PDF)

    @property
    def setup(self) -> list:
        """The setup controls a reload restores from the running interview."""
        return [self.bank, self.topics, self.count, self.mode, self.time_limit]

    @property
    def step_outputs(self) -> list:
        return [
            self.iv_state, self.chat, self.feedback, self.clock, self.spoken, self.total, self.table, self.chart, self.bookmark, self.note,
            self.summary_file, *self.overrule_outputs,
        ]

    @property
    def overrule_outputs(self) -> list:
        return [self.overrule, self.overrule_points, self.overrule_score]


def build(page: Page) -> Controls:
    """Lay out the tab's components (inside an open gr.Tab) and register their handlers."""
    kb, say = page.kb, page.say
    first = flow.default_bank(kb)
    iv_state = gr.State(None)

    def bank_choices(lang: str) -> list[tuple[str, str]]:
        return bank_options(kb, lang)

    with gr.Row():
        bank = say(gr.Dropdown(bank_choices("ko"), value=first, label=t("ko", "bank"), elem_id="bank"), "bank")
        say(bank, bank_choices, "choices")
        topics = say(gr.Dropdown(flow.topics(kb, first), multiselect=True, label=t("ko", "topics"), elem_id="topics"), "topics")
        count = say(gr.Slider(1, 20, value=3, step=1, label=t("ko", "count"), elem_id="count"), "count")
        mode = say(gr.Radio(text_value("ko", "modes", "choices"), value="in-order", label=t("ko", "mode"), elem_id="mode"), "mode")
        say(mode, "modes", "choices")
    with gr.Row():
        limits = text_value("ko", "time_limits", "choices")
        time_limit = say(gr.Dropdown(limits, value="0", label=t("ko", "time_limit"), elem_id="time-limit"), "time_limit")
        say(time_limit, "time_limits", "choices")
        tts = say(gr.Checkbox(False, label=t("ko", "tts"), elem_id="tts", interactive=True), "tts")  # read by clock.js only
    start = say(gr.Button(t("ko", "start"), variant="primary", elem_id="start"), "start", "value")
    chat = gr.Chatbot(height=420, elem_id="chat", label="", sanitize_html=True)
    clock_box = gr.HTML(clock_html("", None, "", "ko"), elem_id="clock")
    with gr.Row():
        bookmark = say(gr.Checkbox(False, label=t("ko", "bookmark"), elem_id="bookmark", interactive=True, scale=1), "bookmark")
        note = say(gr.Textbox(label=t("ko", "note"), elem_id="note", max_lines=3, scale=4), "note")
    answer = say(gr.Textbox(lines=1, max_lines=12, label=t("ko", "answer"), elem_id="answer"), "answer")
    mic = say(gr.Audio(sources=["microphone"], type="filepath", label=t("ko", "mic"), elem_id="mic", format="wav"), "mic")
    spoken = gr.State([])
    with gr.Row():
        send = say(gr.Button(t("ko", "send"), variant="primary", elem_id="send"), "send", "value")
        hint = say(gr.Button(t("ko", "hint"), elem_id="hint"), "hint", "value")
        retry = say(gr.Button(t("ko", "retry"), elem_id="retry"), "retry", "value")
        skip = say(gr.Button(t("ko", "skip"), elem_id="skip"), "skip", "value")
        reveal = say(gr.Button(t("ko", "reveal"), elem_id="reveal"), "reveal", "value")
        end = say(gr.Button(t("ko", "end"), variant="stop", elem_id="end"), "end", "value")
    feedback = gr.HTML(elem_id="feedback")
    with gr.Accordion(t("ko", "overrule"), open=False, visible=False, elem_id="overrule") as overrule:
        say(overrule, "overrule")
        ov_points = say(gr.CheckboxGroup([], label=t("ko", "overrule_points"), elem_id="overrule-points"), "overrule_points")
        ov_score = say(gr.Slider(0, 100, value=0, step=1, label=t("ko", "overrule_score"), elem_id="overrule-score"), "overrule_score")
        ov_save = say(gr.Button(t("ko", "overrule_save"), elem_id="overrule-save"), "overrule_save", "value")
    total = gr.Markdown(visible=False, elem_id="total")
    table = say(gr.Dataframe(headers=t("ko", "h_summary"), visible=False, elem_id="summary", interactive=False, wrap=True), "h_summary",
                "headers")
    summary_file = say(
        gr.DownloadButton(t("ko", "summary_download"), visible=False, elem_id="summary-download"), "summary_download", "value"
    )
    chart = gr.BarPlot(
        x="topic", y="score", visible=False, y_lim=[0, 100], elem_id="summary-chart", x_title=t("ko", "ax_topic"),
        y_title=t("ko", "ax_score"),
    )
    say(say(chart, "ax_topic", "x_title"), "ax_score", "y_title")
    c = Controls(
        iv_state, bank, topics, count, mode, time_limit, tts, start, chat, clock_box, answer, mic, spoken,
        send, hint, skip, reveal, end, feedback, total, table, chart, retry, bookmark, note, gr.State(0.0),
        overrule, ov_points, ov_score, ov_save, summary_file,
    )
    _wire(page, c)
    return c


def _wire(page: Page, c: Controls) -> None:
    """Every interview step shares GRADERS slots; Ask and Batch queue apart."""
    h = _Handlers(page, c)
    step = dict(concurrency_id="interview", concurrency_limit=GRADERS)
    common = [c.iv_state, c.chat, page.lang, page.token, page.profile]
    page_load = [page.token, page.profile, page.lang]
    # The API names are the app's public API (gradio_client scripts and the load tests use them).
    # .input, not .change: a reload that restores the bank must not clear the topics it restores.
    c.bank.input(lambda b: gr.update(choices=flow.topics(page.kb, b), value=[]), c.bank, c.topics, api_name="on_bank")
    setup = [c.bank, c.topics, c.count, c.mode, page.profile, page.lang, page.token, c.time_limit, c.iv_state, c.pressed]
    c.start.click(h.start, setup, [*c.step_outputs, c.pressed], api_name="on_start", **step)
    c.answer.submit(h.answer, [c.answer, c.spoken, *common], [c.answer, *c.step_outputs], api_name="on_answer", **step)
    c.send.click(h.answer, [c.answer, c.spoken, *common], [c.answer, *c.step_outputs], api_name="on_send", **step)
    # A recording is transcribed into the answer box (after what is typed there), to be edited and
    # sent; when the countdown stopped it, the page sends it (clock.js).
    c.mic.stop_recording(
        h.transcribe, [c.mic, c.answer, c.spoken, page.lang], [c.answer, c.spoken, c.mic], api_name="on_recording",
        concurrency_id="speech", concurrency_limit=1,
    ).then(None, js="() => { window.__coachAfterTranscript && window.__coachAfterTranscript(); }")
    c.hint.click(h.hint, common, [c.iv_state, c.chat], api_name="on_hint", **step)
    c.retry.click(h.retry, common, c.step_outputs, api_name="on_retry", **step)
    # The bookmark and the note belong to the question on screen (the last one once the interview is over).
    c.bookmark.input(h.keep_note("bookmark"), [c.bookmark, c.iv_state, page.lang, page.profile], None, api_name="on_bookmark")
    for event in (c.note.blur, c.note.submit):
        event(h.keep_note("note"), [c.note, c.iv_state, page.lang, page.profile], None)
    c.overrule_save.click(
        h.overrule, [c.overrule_points, c.overrule_score, *common], c.step_outputs, api_name="on_overrule", **step
    )
    c.skip.click(h.give_up("skipped"), common, c.step_outputs, api_name="on_skip", **step)
    c.reveal.click(h.give_up("revealed"), common, c.step_outputs, api_name="on_reveal", **step)
    c.end.click(h.end, common, c.step_outputs, api_name="on_end", **step)
    loaded = [page.token, c.iv_state, c.chat, c.feedback, c.clock, page.profile, *c.setup, c.bookmark, c.note, *c.overrule_outputs]
    page.loaders.append((h.load, page_load, loaded, dict(step, api_name="on_load")))


def bank_options(kb, lang: str) -> list[tuple[str, str]]:
    """The bank choices: every bank by its title in the page's language, with its number of main
    questions, then all banks together."""
    out = []
    for b in kb.banks:
        mains = sum(1 for q in b.questions if q.parent is None and q.answered)
        out.append((f"{bank_title(b.title, lang)} ({mains})", b.slug))
    if len(kb.banks) > 1:
        total = sum(1 for q in kb.questions.values() if q.parent is None and q.answered)
        out.append((t(lang, "all_banks", n=total), flow.ALL_BANKS))
    return out


def bank_title(title: str, lang: str) -> str:
    """'딥러닝 면접 질문 (Deep Learning)' -> '딥러닝 면접 질문' on the Korean page, 'Deep Learning' on the English one."""
    m = re.match(r"^(.*?)\s*\(([^()]+)\)\s*$", title)
    if not m:
        return title
    return m.group(2) if lang == "en" else m.group(1)


def _wording(table: dict, e: InterviewError) -> str | None:
    """The table's wording of the error's code, filled with its details (None when there is none)."""
    text = table.get(e.code or "")
    try:
        return text.format(**e.details) if text else None
    except (KeyError, ValueError):
        return None


def worded(e: InterviewError, lang: str) -> str:
    """An error of the interview flow in the page's language (its English message when it has no wording)."""
    return _wording(t(lang, "errors"), e) or str(e)


def speech_error(e: InterviewError, lang: str) -> str:
    """A failed transcription in the page's language: the worded message of its code, else the
    error's own (English) one."""
    said = _wording(t(lang, "speech_errors"), e) or t(lang, "speech_failed", why=str(e))
    return f"{said} {t(lang, 'speech_kept')}"


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
            hidden = gr.update(visible=False)
            return {c.total: hidden, c.table: hidden, c.chart: hidden, c.summary_file: hidden}
        import pandas as pd

        s = flow.summary(self.kb, iv)
        rows = [
            [
                r["question_id"],
                r["question"],
                r["score"],
                t(lang, "verdicts").get(r["verdict"], r["verdict"]) + (" " + t(lang, "overruled_mark") if r["overruled"] else ""),
                "✓" if r["hint"] else "",
                clock(r["seconds"]) + (" 🎤" if r["spoken"] else ""),
            ]
            for r in s["rows"]
        ]
        topics = topic_frame({k: (m, 0) for k, m in s["topics"].items()})
        return {
            c.total: gr.update(value=t(lang, "total", mean=s["mean"], n=len(rows)), visible=True),
            c.table: gr.update(value=pd.DataFrame(rows, columns=t(lang, "h_summary")), visible=True),
            c.chart: gr.update(value=topics, visible=True),
            c.summary_file: gr.update(value=str(self._summary_page(iv, lang)), visible=True),
        }

    def _summary_page(self, iv: flow.Interview, lang: str) -> Path:
        """The summary page written to a file of its own for the download button."""
        stamp = time.strftime("%Y%m%d-%H%M", time.localtime(iv.started_at))
        path = Path(tempfile.mkdtemp(prefix="interview-summary-")) / f"interview-{stamp}.html"
        path.write_text(summary_html(self.kb, self.history, iv, lang), encoding="utf-8")
        return path

    def _next_message(self, iv: flow.Interview, lang: str) -> dict:
        if iv.finished:
            return {"role": "assistant", "content": t(lang, "finished")}
        return {"role": "assistant", "content": self._question_message(iv, lang)}

    @staticmethod
    def _step(tok: str, prof: str, iv: flow.Interview, chat_value: list, fb: str) -> SessionStep:
        """What to save under the browser's token: the interview with its chat, or nothing once it is over."""
        state = None if iv.finished else {"interview": iv.to_dict(), "chat": chat_value, "feedback": fb}
        return SessionStep(tok, prof, state)

    def _clock(self, iv: flow.Interview | None, lang: str) -> str:
        """The countdown element for the question now put (an idle one when none is)."""
        if iv is None or iv.current is None:
            return clock_html("", None, "", lang)
        elapsed = iv.elapsed() or 0.0
        remaining = iv.time_limit - elapsed if iv.time_limit else None
        return clock_html(f"{len(iv.asked)}:{iv.current}:{iv.asked_at}", remaining, self.kb.questions[iv.current].question, lang)

    @staticmethod
    def _on_screen(iv: flow.Interview | None) -> str | None:
        """The question the bookmark and the note are about: the current one, else the last answered."""
        if iv is None:
            return None
        return iv.current or (iv.turns[-1].question_id if iv.turns else None)

    def _overrule_box(self, iv: flow.Interview | None) -> dict:
        """The overrule controls for the last graded answer (hidden when the last turn graded none):
        its key points, ticked as the grade stands now, and the score that counts."""
        c = self.c
        turn = flow.last_graded(iv) if iv is not None else None
        if turn is None:
            return {c.overrule: gr.update(visible=False), c.overrule_points: gr.update(choices=[], value=[]), c.overrule_score: 0}
        a = self.history.attempt(iv.profile, turn.attempt)
        texts = [p["text"] for p in a["points"]]
        ticked = [p["text"] for p in a["points"] if a["overruled_points"].get(p["text"], p["status"]) == "covered"]
        return {
            c.overrule: gr.update(visible=bool(texts), open=False),
            c.overrule_points: gr.update(choices=texts, value=ticked),
            c.overrule_score: a["score"],
        }

    def _outputs(self, iv: flow.Interview | None, chat_value, fb, lang: str) -> dict:
        c = self.c
        qid = self._on_screen(iv)
        marked, text = self.history.note(iv.profile, qid) if iv is not None and qid else (False, "")
        return {
            **self._overrule_box(iv),
            c.bookmark: marked,
            c.note: text,
            c.iv_state: iv.to_dict() if iv else None,
            c.chat: chat_value,
            c.feedback: fb,
            c.clock: self._clock(iv, lang),
            c.spoken: [],
            **self._summary(iv, lang),
        }

    def _unchanged(self, iv_d, chat_value, lang: str) -> dict:
        c = self.c
        kept = {c.feedback: gr.update(), c.clock: gr.update(), c.spoken: gr.update()}
        return {c.iv_state: iv_d, c.chat: chat_value, **kept, **self._summary(None, lang)}

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
            box = self._overrule_box(None)
            return tok, None, [], "", self._clock(None, lng), gr.update(), *(gr.update() for _ in self.c.setup), False, "", *box.values()
        prof, saved = found
        iv = flow.Interview.from_dict(saved["interview"])
        chat_value = saved["chat"] + [{"role": "assistant", "content": t(lng, "resumed")}]
        # The setup it was started with comes back too (a bank no longer loaded keeps the default).
        known = iv.bank == flow.ALL_BANKS or iv.bank in [b.slug for b in self.kb.banks]
        setup = (
            gr.update(value=iv.bank) if known else gr.update(),
            gr.update(choices=flow.topics(self.kb, iv.bank), value=iv.topics) if known else gr.update(),
            gr.update(value=iv.count) if iv.count else gr.update(),
            gr.update(value=iv.mode),
            gr.update(value=str(int(iv.time_limit)) if iv.time_limit else "0"),
        )
        qid = self._on_screen(iv)
        marked, text = self.history.note(prof, qid) if qid else (False, "")
        box = self._overrule_box(iv)
        return (
            tok, iv.to_dict(), chat_value, saved.get("feedback", ""), self._clock(iv, lng), gr.update(value=prof), *setup, marked, text,
            *(box[o] for o in self.c.overrule_outputs),
        )

    def start(self, bank_v, topics_v, count_v, mode_v, typed, lng, tok, limit_v, iv_d, pressed, request: gr.Request):
        prof = profile_of(request, typed)
        keep = {c: gr.skip() for c in [*self.c.step_outputs, self.c.pressed]}
        # Over a running interview the first press only asks; a second one within CONFIRM_SECONDS restarts.
        if self._running(iv_d) is not None and not (pressed and time.time() - float(pressed) <= CONFIRM_SECONDS):
            gr.Warning(t(lng, "confirm_restart"))
            return {**keep, self.c.pressed: time.time()}
        try:
            limit = float(limit_v or 0) or None
            iv = flow.start(
                self.kb, self.history, prof, bank_v, mode_v, int(count_v), topics_v or None, seed=int(time.time()), time_limit=limit
            )
        except ValueError:
            gr.Warning(t(lng, "bad_limit", value=limit_v))
            return keep
        except InterviewError as e:
            gr.Warning(worded(e, lng))
            return keep
        n = len(iv.plan) + 1
        intro = t(lng, "intro", n=n) + (" " + t(lng, "fewer", n=n, asked=int(count_v)) if n < int(count_v) else "")
        chat_value = [{"role": "assistant", "content": intro}, {"role": "assistant", "content": self._question_message(iv, lng)}]
        self.history.save_step(self._step(tok, prof, iv, chat_value, ""))
        return {**self._outputs(iv, chat_value, "", lng), self.c.pressed: 0.0}

    def answer(self, text, spoken, iv_d, chat_value, lng, tok, typed, request: gr.Request):
        iv = self._running(iv_d)
        if iv is not None and not (text or "").strip() and iv.timed_out(grace=-TIMER_SLACK):
            return {self.c.answer: text, **self._timed_out(iv, chat_value, lng, tok, typed, request)}
        if iv is None or not (text or "").strip():
            gr.Warning(t(lng, "no_interview" if iv is None else "empty_answer"))
            return {self.c.answer: text, **self._unchanged(iv_d, chat_value, lng)}
        prof = profile_of(request, typed)
        q = self.kb.questions[iv.current]
        if len(text) > MAX_ANSWER_CHARS:
            # Kept on screen until closed: grading a long answer can outlast a toast.
            gr.Warning(t(lng, "too_long", n=f"{len(text):,}", limit=f"{MAX_ANSWER_CHARS:,}"), duration=None)
            text = text[:MAX_ANSWER_CHARS]
        shown = md_text(text[:MAX_ECHO_CHARS]) + (
            t(lng, "more_chars", n=f"{len(text) - MAX_ECHO_CHARS:,}") if len(text) > MAX_ECHO_CHARS else ""
        )
        # How long the answer took: from the question to now, less the time spent transcribing.
        seconds = max(0.0, (iv.elapsed() or 0.0) - sum(float(r.get("took", 0.0)) for r in spoken or []))
        over = seconds - iv.time_limit if iv.time_limit and seconds > iv.time_limit + OVER_TIME_GRACE else 0.0
        spoken_delivery, notice = self._delivery(spoken, iv.time_limit)
        after: dict = {}

        def save(iv_now, g):
            verdict = t(lng, "verdicts").get(g.verdict, g.verdict)
            line = t(lng, "score_line", score=g.score, verdict=verdict) + " · " + t(lng, "took", t=clock(seconds))
            line += t(lng, "over_limit", n=f"{over:.0f}") if over else ""
            spoken_html = delivery_html(spoken_delivery, lng, notice) if spoken_delivery is not None else ""
            after["fb"] = feedback_html(g, q, self.kb, lng, answer=text, delivery=spoken_html)
            after["chat"] = list(chat_value) + [
                {"role": "user", "content": ("🎤 " if spoken_delivery is not None else "") + shown},
                {"role": "assistant", "content": f"**{line}**" + (f"\n\n{points}" if (points := chat_feedback(g, lng)) else "")},
                self._next_message(iv_now, lng),
            ]
            return self._step(tok or "", prof, iv_now, after["chat"], after["fb"])

        flow.answer(
            self.kb, self.history, iv, text, session=tok or "", save=save, seconds=seconds,
            delivery=spoken_delivery.to_dict() if spoken_delivery is not None else None,
        )
        return {self.c.answer: "", **self._outputs(iv, after["chat"], after["fb"], lng)}

    @staticmethod
    def _delivery(spoken, time_limit):
        """The delivery of this question's recordings (None when the answer was typed), and the
        notice of a recording cut at the length limit."""
        if not spoken:
            return None, None
        from app.speech.delivery import combine, delivery
        from app.speech.transcribe import Transcript

        transcripts = [Transcript.from_dict(r["transcript"]) for r in spoken]
        notices = [tr.notice for tr in transcripts if tr.notice]
        return delivery(combine(transcripts), time_limit), (notices[0] if notices else None)

    def _timed_out(self, iv: flow.Interview, chat_value, lng, tok, typed, request: gr.Request) -> dict:
        """The countdown ended with an empty answer box: recorded as timed out, on to the next question."""
        prof = profile_of(request, typed)
        note = {"role": "assistant", "content": t(lng, "timed_out")}
        after: dict = {}

        def save(iv_now, _):
            after["chat"] = list(chat_value) + [note, self._next_message(iv_now, lng)]
            return self._step(tok or "", prof, iv_now, after["chat"], "")

        flow.time_out(self.kb, self.history, iv, session=tok or "", save=save)
        return self._outputs(iv, after["chat"], "", lng)

    def transcribe(self, path, text, spoken, lng):
        """A finished recording: its transcript is added after what the answer box holds."""
        if not path:
            return gr.update(), gr.update(), gr.update()
        from app.speech.transcribe import Whisper

        began = time.time()
        try:
            tr = Whisper(self.page.settings.models_dir).transcribe(path, language=SPEECH_LANGUAGE.get(lng, "ko"))
        except InterviewError as e:
            gr.Warning(speech_error(e, lng))
            return gr.update(), gr.update(), None
        if tr.notice:
            gr.Warning(t(lng, "speech_cut", limit=f"{MAX_AUDIO_SECONDS / 60:.0f}"))
        gr.Info(t(lng, "transcribed"))
        typed = (text or "").rstrip()
        joined = f"{typed}\n{tr.text}" if typed else tr.text
        return joined, list(spoken or []) + [{"transcript": tr.to_dict(), "took": round(time.time() - began, 2)}], None

    def give_up(self, kind: str):
        def handler(iv_d, chat_value, lng, tok, typed, request: gr.Request):
            iv = self._running(iv_d)
            if iv is None:
                gr.Warning(t(lng, "no_interview"))
                return self._unchanged(iv_d, chat_value, lng)
            prof = profile_of(request, typed)
            q = self.kb.questions[iv.current]
            # Both show the key points (in the chat and the panel); Show answer opens the model answer too.
            fb = points_html(q, lng) + entry_html(q, lng, open_=kind == "revealed")
            said = t(lng, "revealed" if kind == "revealed" else "skipped")
            note = {"role": "assistant", "content": said + (f"\n\n{points}" if (points := points_markdown(q, lng)) else "")}
            after: dict = {}

            def save(iv_now, _):
                after["chat"] = list(chat_value) + [note, self._next_message(iv_now, lng)]
                return self._step(tok or "", prof, iv_now, after["chat"], fb)

            flow.skip(self.kb, self.history, iv, verdict=kind, session=tok or "", save=save)
            return self._outputs(iv, after["chat"], fb, lng)

        return handler

    def keep_note(self, part: str):
        def handler(value, iv_d, lng, typed, request: gr.Request):
            iv = flow.Interview.from_dict(iv_d) if iv_d else None
            qid = self._on_screen(iv)
            if qid is None:
                gr.Warning(t(lng, "no_interview"))
                return
            prof = profile_of(request, typed)
            if part == "bookmark":
                self.history.set_note(prof, qid, bookmarked=bool(value))
            else:
                self.history.set_note(prof, qid, note=value or "")
            gr.Info(t(lng, "note_saved", qid=qid))

        return handler

    def retry(self, iv_d, chat_value, lng, tok, typed, request: gr.Request):
        """Try again: the question just graded is put again at once (the next one waits)."""
        iv = flow.Interview.from_dict(iv_d) if iv_d else None
        try:
            if iv is None:
                raise InterviewError("no interview", code="nothing_to_retry")
            flow.retry(self.kb, iv)
        except InterviewError as e:
            gr.Warning(worded(e, lng))
            return self._unchanged(iv_d, chat_value, lng)
        chat_value = list(chat_value) + [
            {"role": "assistant", "content": t(lng, "retry_msg")},
            {"role": "assistant", "content": self._question_message(iv, lng)},
        ]
        self.history.save_step(self._step(tok, profile_of(request, typed), iv, chat_value, ""))
        return self._outputs(iv, chat_value, "", lng)

    def overrule(self, covered, score, iv_d, chat_value, lng, tok, typed, request: gr.Request):
        """The user's correction of the last grade: stored beside the attempt; the chat says what changed."""
        iv = flow.Interview.from_dict(iv_d) if iv_d else None
        try:
            if iv is None:
                raise InterviewError("no interview", code="nothing_to_overrule")
            a = flow.overrule(self.history, iv, score=int(score) if score is not None else None, covered=list(covered or []))
        except InterviewError as e:
            gr.Warning(worded(e, lng))
            return self._unchanged(iv_d, chat_value, lng)
        changed = sum(1 for p in a["points"] if a["overruled_points"].get(p["text"], p["status"]) != p["status"])
        points = t(lng, "overruled_points", n=changed) if changed else ""
        said = t(lng, "overruled", score=a["score"], graded=a["graded_score"], points=points)
        chat_value = list(chat_value) + [{"role": "assistant", "content": said}]
        saved = self.history.load_session(tok) if tok else None  # the feedback on screen stays, also after a reload
        self.history.save_step(self._step(tok, profile_of(request, typed), iv, chat_value, saved[1].get("feedback", "") if saved else ""))
        return self._outputs(iv, chat_value, gr.update(), lng)

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
        chat_value = list(chat_value) + [{"role": "assistant", "content": t(lng, "finished" if iv.turns else "no_summary")}]
        self.history.save_step(self._step(tok, profile_of(request, typed), iv, chat_value, ""))
        return self._outputs(iv, chat_value, gr.update(), lng)
