"""Bank answers (markdown as people write it on GitHub) as safe HTML for the web app.

Everything the bank says is escaped; only the structure is turned into tags: paragraphs,
headings, lists, code blocks, display math, tables, `<details>` blocks, line breaks, inline
code, bold and links (http(s) only). Images are never loaded (the page fetches nothing from
outside the machine): an image shows as its alt text, and the GitHub math-image idiom
`<!-- $x$ --> <img ...>` shows its LaTeX. Other HTML tags are dropped and their text kept.
"""

from __future__ import annotations

import re

from index.text import esc

_FENCE = re.compile(r"^\s*(```|~~~)")
_MATH = re.compile(r"^\s*\$\$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_ITEM = re.compile(r"^\s*([-*+]|\d+[.)])\s+(.*)$")
_DETAILS_OPEN = re.compile(r"^\s*<details[^>]*>\s*$", re.I)
_DETAILS_CLOSE = re.compile(r"^\s*</details>\s*$", re.I)
_SUMMARY = re.compile(r"<summary[^>]*>(.*?)</summary>", re.I | re.S)
_MATH_IMAGE = re.compile(r"<!--\s*\$+(.*?)\$+\s*-->\s*(<img[^>]*>)?", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_IMG_TAG = re.compile(r"<img\b[^>]*>", re.I)
_ATTR = re.compile(r"""\b(alt|src)\s*=\s*["']([^"']*)["']""", re.I)
_DROP = re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S)
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_BR = re.compile(r"<br\s*/?>", re.I)
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_INLINE = re.compile(r"`([^`]+)`|\*\*(.+?)\*\*|\[((?:[^\[\]]|\[[^\[\]]*\])+)\]\((\S+?)\)|\x00(\d+)\x00")


def _inline(text: str) -> str:
    """One line of markdown as HTML: escaped text with code, bold, links and line breaks."""
    keep: list[str] = []

    def hold(html: str) -> str:
        keep.append(html)
        return f"\x00{len(keep) - 1}\x00"

    text = _MATH_IMAGE.sub(lambda m: hold(f"<code class='math'>{esc(m.group(1).strip())}</code>"), text)
    text = _COMMENT.sub("", _DROP.sub("", text))
    text = _MD_IMAGE.sub(lambda m: hold(_image(m.group(1), "")), text)
    text = _IMG_TAG.sub(lambda m: hold(_image(*_img_attrs(m.group(0)))), text)
    text = _BR.sub(lambda m: hold("<br>"), text)
    text = _TAG.sub("", text)

    def render(m: re.Match) -> str:
        code, bold, label, url, held = m.groups()
        if code is not None:
            return f"<code>{esc(code)}</code>"
        if bold is not None:
            return f"<b>{esc(bold)}</b>"
        if label is not None:
            safe = url if re.match(r"^https?://", url, re.I) else None
            return f'<a href="{esc(safe)}" target="_blank" rel="noopener noreferrer">{esc(label)}</a>' if safe else esc(label)
        return keep[int(held)]

    out, last = [], 0
    for m in _INLINE.finditer(text):
        out.append(esc(text[last : m.start()]))
        out.append(render(m))
        last = m.end()
    out.append(esc(text[last:]))
    return "".join(out)


def _img_attrs(tag: str) -> tuple[str, str]:
    attrs = {k.lower(): v for k, v in _ATTR.findall(tag)}
    return attrs.get("alt", ""), attrs.get("src", "")


def _image(alt: str, src: str) -> str:
    """An image the page does not load: its alt text, else its file name."""
    name = alt.strip() or src.rsplit("/", 1)[-1].split("?", 1)[0] or "image"
    return f"<span class='image'>[{esc(name)}]</span>"


def _table(rows: list[str]) -> str:
    cells = [[c.strip() for c in r.strip().strip("|").split("|")] for r in rows if not _TABLE_RULE.match(r)]
    if not cells:
        return ""
    head, body = cells[0], cells[1:]
    th = "".join(f"<th>{_inline(c)}</th>" for c in head)
    trs = "".join("<tr>" + "".join(f"<td>{_inline(c)}</td>" for c in row) + "</tr>" for row in body)
    return f"<table><thead><tr>{th}</tr></thead><tbody>{trs}</tbody></table>"


def to_html(markdown: str) -> str:
    """A bank answer as HTML; see the module doc for what is kept."""
    lines = markdown.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if _FENCE.match(line) or _MATH.match(line):
            fence = _FENCE.match(line) is not None
            block, i = _until(lines, i, _FENCE if fence else _MATH)
            cls = "code" if fence else "math"
            out.append(f"<pre class='{cls}'><code>{esc(chr(10).join(block))}</code></pre>")
            continue
        if _DETAILS_OPEN.match(line):
            depth, j = 1, i + 1
            while j < len(lines) and depth:
                depth += bool(_DETAILS_OPEN.match(lines[j])) - bool(_DETAILS_CLOSE.match(lines[j]))
                j += 1
            inner = "\n".join(lines[i + 1 : j - 1 if depth == 0 else j])
            summary = _SUMMARY.search(inner)
            body = _SUMMARY.sub("", inner, count=1)
            label = _inline(summary.group(1).strip()) if summary else "…"
            out.append(f"<details><summary>{label}</summary>{to_html(body)}</details>")
            i = j
            continue
        if line.lstrip().startswith("|"):
            j = i
            while j < len(lines) and lines[j].lstrip().startswith("|"):
                j += 1
            out.append(_table(lines[i:j]))
            i = j
            continue
        if _ITEM.match(line):
            ordered = _ITEM.match(line).group(1)[0].isdigit()
            items = []
            while i < len(lines) and (_ITEM.match(lines[i]) or (items and lines[i].startswith(("  ", "\t")) and lines[i].strip())):
                item = _ITEM.match(lines[i])
                if item:
                    items.append(item.group(2))
                else:
                    items[-1] += " " + lines[i].strip()
                i += 1
            tag = "ol" if ordered else "ul"
            out.append(f"<{tag}>" + "".join(f"<li>{_inline(t)}</li>" for t in items) + f"</{tag}>")
            continue
        heading = _HEADING.match(line)
        if heading:
            out.append(f"<h5>{_inline(heading.group(2))}</h5>")
            i += 1
            continue
        if not line.strip():
            i += 1
            continue
        para = []
        while i < len(lines) and lines[i].strip() and not _starts_block(lines[i]):
            para.append(lines[i].strip())
            i += 1
        html = _inline(" ".join(para))
        if _TAG.sub("", html).strip():
            out.append(f"<p>{html}</p>")
    return "".join(out)


def _starts_block(line: str) -> bool:
    return bool(_FENCE.match(line) or _MATH.match(line) or _DETAILS_OPEN.match(line) or _ITEM.match(line)
                or _HEADING.match(line) or line.lstrip().startswith("|"))


def _until(lines: list[str], start: int, closing: re.Pattern) -> tuple[list[str], int]:
    """The lines of a block opened at `start` up to its closing line; the index after it."""
    first = lines[start]
    opener = closing.match(first)
    rest = first[opener.end():] if opener else ""
    if closing is _MATH and rest.strip().endswith("$$"):  # $$ x $$ on one line
        return [rest.strip()[:-2].strip()], start + 1
    block = [rest.strip()] if rest.strip() and closing is _MATH else []
    i = start + 1
    while i < len(lines) and not closing.match(lines[i]):
        block.append(lines[i])
        i += 1
    return block, i + 1
