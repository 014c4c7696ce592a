"""The Ask tab: a free-form question, answered from the banks with numbered citations."""

from __future__ import annotations

import gradio as gr

from app.ask.answer import ask
from app.core.limits import MAX_QUERY_CHARS
from index.errors import InterviewError

from .page import Page
from .render import ask_html
from .texts import t


def build(page: Page) -> None:
    """Lay out the tab (inside an open gr.Tab) and register its handler; Ask queues apart from interviews."""
    query = page.say(gr.Textbox(label=t("ko", "ask_box"), elem_id="query", max_lines=3), "ask_box")
    button = page.say(gr.Button(t("ko", "ask_btn"), variant="primary", elem_id="ask-btn"), "ask_btn", "value")
    out = gr.HTML(elem_id="ask-out")

    def on_ask(text, lng):
        if len(text or "") > MAX_QUERY_CHARS:
            gr.Warning(t(lng, "query_too_long", n=f"{len(text):,}", limit=f"{MAX_QUERY_CHARS:,}"))
            text = text[:MAX_QUERY_CHARS]
        try:
            return ask_html(ask(page.kb, text), page.kb, lng)
        except InterviewError as e:
            # A notice in the page's language, not an error overlay; what is on screen stays.
            gr.Warning(t(lng, "ask_errors").get(e.code or "", str(e)))
            return gr.skip()

    query.submit(on_ask, [query, page.lang], out, concurrency_id="ask", concurrency_limit=1, api_name="on_ask")
    button.click(on_ask, [query, page.lang], out, concurrency_id="ask", concurrency_limit=1, api_name="on_ask_button")
