"""Markdown to plain text, and plain text to sentences."""

from __future__ import annotations

import html
import re

FENCE = re.compile(r"^\s*(```|~~~)")
_LATEX_COMMENT = re.compile(r"<!--\s*\$+(.*?)\$+\s*-->", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_BR = re.compile(r"<br\s*/?>", re.I)
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|`)")
_ITALIC = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_LINE_MARK = re.compile(r"^\s*(?:#{1,6}\s+|>\s*|[-*+]\s+|\d+[.)]\s+)")
_MATH_FENCE = re.compile(r"^\s*\$\$\s*$")
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S)
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_SENTENCE_END = re.compile(r"(?<=[^.][.!?。])\s+(?=\S)")
_SPACES = re.compile(r"[ \t\u00a0]+")


def plain_text(markdown: str) -> str:
    """Return the readable text of a markdown answer: no tags, images, link targets or marks.

    Math written as `<!-- $x$ --> <img ...>` (the GitHub math-image idiom) keeps its LaTeX; the
    `$$` lines around display math, table rules, script and style elements are dropped.
    """
    text = _LATEX_COMMENT.sub(lambda m: " " + m.group(1).strip() + " ", _SCRIPT.sub(" ", markdown))
    text = _COMMENT.sub(" ", text)
    text = _BR.sub("\n", text)
    text = _TAG.sub(" ", text)
    text = _IMAGE.sub(" ", text)
    text = _LINK.sub(r"\1", text)
    lines = []
    for line in text.splitlines():
        if FENCE.match(line) or _TABLE_RULE.match(line) or _MATH_FENCE.match(line):
            continue
        line = _LINE_MARK.sub("", line)
        line = _EMPHASIS.sub("", _ITALIC.sub(r"\1", line)).replace("|", " ")
        line = _SPACES.sub(" ", html.unescape(line)).strip()
        lines.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def sentences(text: str, min_chars: int = 2) -> list[str]:
    """Split plain text into sentences: at line breaks and after . ! ? followed by a space."""
    out: list[str] = []
    for line in text.splitlines():
        for part in _SENTENCE_END.split(line.strip()):
            part = part.strip()
            if len(part) >= min_chars:
                out.append(part)
    return out


def esc(text) -> str:
    """Text (or None, or a number) as HTML that shows it literally, quotes included."""
    return html.escape("" if text is None else str(text), quote=True)


def normalize(text: str) -> str:
    """Fold case and white space, and drop zero-width and control characters, for comparisons."""
    text = "".join(ch for ch in text if ch in "\n\t" or (ch.isprintable() and ch not in "\u200b\u200c\u200d\ufeff"))
    return _SPACES.sub(" ", text).strip().lower()
