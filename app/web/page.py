"""What every tab of the web app shares: the loaded knowledge, the history, the settings, the
browser's token, the profile and language controls, and the table of texts the language switch rewrites."""

from __future__ import annotations

from dataclasses import dataclass, field

import gradio as gr

from app.core.knowledge import Knowledge
from app.core.settings import Settings
from app.practice.history import History

from .texts import TEXTS, t


@dataclass
class Page:
    kb: Knowledge
    history: History
    settings: Settings
    token: gr.BrowserState
    lang: gr.Radio
    profile: gr.Textbox
    # (component, property, text key or function of the language): what the language switch rewrites, in one table.
    texts: list[tuple[gr.components.Component, str, object]] = field(default_factory=list)
    # (handler, inputs, outputs, options) to run when the page loads, registered by the tabs.
    loaders: list[tuple] = field(default_factory=list)

    def say(self, component, key, prop: str = "label"):
        """Register `component`'s `prop` as the text `key` (shown in Korean first); return the component."""
        self.texts.append((component, prop, key))
        return component

    def text_components(self) -> list:
        """The components that have registered texts, each once, in order of registration."""
        return list(dict.fromkeys(c for c, _, _ in self.texts))

    def updates(self, lang: str) -> dict:
        """For language `lang`: one gr.update per component, setting every property registered for it."""
        props: dict = {c: {} for c in self.text_components()}
        for component, prop, key in self.texts:
            props[component][prop] = text_value(lang, key, prop)
        return {c: gr.update(**p) for c, p in props.items()}


def text_value(lang: str, key, prop: str):
    """The value of a text for a component property: a string, or (label, value) choices from a
    table; `key` may also be a function of the language (texts made from the banks)."""
    if callable(key):
        return key(lang)
    if prop == "choices":
        return [(label, value) for value, label in TEXTS.get(lang, TEXTS["ko"])[key].items()]
    return t(lang, key)
