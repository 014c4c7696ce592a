"""The web app: a Gradio page whose tabs are thin shells over interview, grading, ask, batch and history.

>>> demo = build(kb, History(settings.history_path), settings)
>>> demo.queue(max_size=256).launch(server_name="127.0.0.1")

Each tab lives in a module of its own (`interview_tab`, `ask_tab`, `batch_tab`,
`progress_tab`) and registers its own handlers on a shared `Page`; the language switch
rewrites every text the tabs registered with `Page.say`.
"""

from __future__ import annotations

import gradio as gr

from app.core.limits import MAX_UPLOAD
from app.core.settings import Settings
from app.practice.history import History

from . import ask_tab, batch_tab, interview_tab, progress_tab
from .page import Page
from .render import CSS, SCRIPT
from .texts import t

# Each browser tab keeps its own interview: the token that names it lives in the tab's
# sessionStorage, which a reload of the tab keeps and another tab does not share. The page load
# reads it (a new tab has none and gets a new one from the server), then stores what the server returns.
TAB_KEY = "interview-coach-tab"
READ_TAB_TOKEN = f"(tok, ...rest) => [window.sessionStorage.getItem('{TAB_KEY}'), ...rest]"
KEEP_TAB_TOKEN = f"(tok) => {{ if (tok) window.sessionStorage.setItem('{TAB_KEY}', tok); }}"


def build(kb, history: History, settings: Settings, auth: bool = False) -> gr.Blocks:
    """The Blocks app over a loaded Knowledge, a History and the Settings (for batch runs)."""
    with gr.Blocks(title="AI Interview Coach") as demo:
        token = gr.BrowserState(None, storage_key="interview-coach-token")
        with gr.Row():
            title = gr.Markdown(t("ko", "title"))
            lang = gr.Radio([("한국어", "ko"), ("English", "en")], value="ko", label=t("ko", "language"), scale=0, elem_id="lang")
        profile = gr.Textbox(value="default", label=t("ko", "profile"), visible=not auth, max_lines=1, elem_id="profile")
        page = Page(kb, history, settings, token, lang, profile)
        page.say(title, "title", "value")
        page.say(lang, "language")
        page.say(profile, "profile")
        with gr.Tabs():
            with gr.Tab(t("ko", "tab_interview"), id="interview") as tab:
                page.say(tab, "tab_interview")
                interview_tab.build(page)
            with gr.Tab(t("ko", "tab_ask"), id="ask") as tab:
                page.say(tab, "tab_ask")
                ask_tab.build(page)
            with gr.Tab(t("ko", "tab_batch"), id="batch") as tab:
                page.say(tab, "tab_batch")
                batch_tab.build(page)
            with gr.Tab(t("ko", "tab_progress"), id="progress") as tab:
                page.say(tab, "tab_progress")
                progress_tab.build(page, tab)
        for handler, inputs, outputs, options in page.loaders:
            demo.load(handler, inputs, outputs, js=READ_TAB_TOKEN, **options).then(None, [token], None, js=KEEP_TAB_TOKEN)
        lang.change(page.updates, lang, page.text_components(), api_name="on_lang")
    return demo


def serve(
    kb,
    history: History,
    settings: Settings,
    host: str = "127.0.0.1",
    port: int = 7860,
    auth: list[tuple[str, str]] | None = None,
    block: bool = True,
) -> gr.Blocks:
    """Start the app (a bounded queue; the slots per kind of event are set by the tabs); returns the
    Blocks when not blocking."""
    demo = build(kb, history, settings, auth=auth is not None)
    demo.queue(default_concurrency_limit=2, max_size=256)
    demo.launch(
        server_name=host,
        server_port=port,
        auth=auth,
        share=False,
        show_error=True,
        quiet=True,
        prevent_thread_lock=not block,
        css=CSS,
        js=SCRIPT,
        max_file_size=MAX_UPLOAD,
        footer_links=[],
        enable_monitoring=False,
    )
    return demo
