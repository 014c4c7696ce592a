"""The web shell (Gradio): one module per tab, plus the page that holds them, rendering, texts and logins.

Importing this package imports no Gradio; `app.web.app` does.
"""
