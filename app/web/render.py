"""HTML and markdown for the web UI. Every piece of text that a user or a bank wrote is escaped."""

from __future__ import annotations

import re

from app.ask.answer import Answer
from app.grading.grade import Grade, colour_for
from index.bank import Question
from index.text import esc

from .markdown import to_html
from .texts import t

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|>~-])")


def md_text(text: str) -> str:
    """User text for a markdown chat message: shown as typed, never as markup or a link."""
    return _MD_SPECIAL.sub(r"\\\1", esc(text))


def _url(url: str | None) -> str | None:
    """Only http(s) links are rendered as links."""
    return url if url and re.match(r"^https?://", url, re.I) else None


def _link(title: str, url: str | None) -> str:
    safe = _url(url)
    return f'<a href="{esc(safe)}" target="_blank" rel="noopener noreferrer">{esc(title)}</a>' if safe else esc(title)


def entry_html(q: Question, lang: str, open_: bool = False) -> str:
    """A bank entry as a collapsible block: the reference answer and its sources."""
    refs = "".join(f"<li>{_link(r.title, r.url)}</li>" for r in q.references)
    answer = to_html(q.answer)
    return (
        f'<details class="entry" data-qid="{esc(q.id)}"{" open" if open_ else ""}>'
        f"<summary>{esc(q.question)} <code>{esc(q.id)}</code></summary>"
        f"{answer}" + (f"<p><b>{t(lang, 'sources')}</b></p><ul>{refs}</ul>" if refs else "") + "</details>"
    )


def highlighted(answer: str, g: Grade) -> str:
    """The answer as HTML with each deciding sentence marked: `ok` states a key point, `bad` a wrong version."""
    marks: list[tuple[int, int, str]] = []
    for k in g.key_points:
        if not k.evidence or k.status == "missed":
            continue
        start = answer.find(k.evidence)
        if start >= 0:
            marks.append((start, start + len(k.evidence), "bad" if k.contradicted else "ok"))
    out, pos = [], 0
    for start, end, cls in sorted(marks):
        if start < pos:  # one sentence deciding two points is marked once (a wrong claim wins)
            if cls == "bad" and out:
                out[-1] = out[-1].replace('class="ok"', 'class="bad"')
            continue
        out.append(esc(answer[pos:start]))
        out.append(f'<mark class="{cls}">{esc(answer[start:end])}</mark>')
        pos = end
    out.append(esc(answer[pos:]))
    return "".join(out)


def feedback_html(g: Grade, q: Question, kb, lang: str, answer: str | None = None) -> str:
    """The graded reply: score badge, the answer with its deciding sentences marked, each key point
    (covered with its sentence, contradicted with the wrong sentence and the correct claim, missed),
    known misconceptions, reference, citations."""
    verdict = t(lang, "verdicts").get(g.verdict, g.verdict)
    parts = [
        f'<div class="feedback" data-score="{g.score}">',
        f'<div class="score" style="background:{colour_for(g.score)}">{esc(t(lang, "score_line", score=g.score, verdict=verdict))}</div>',
    ]
    if g.message:
        parts.append(f'<p class="message">{esc(g.message)}</p>')
    if answer and any(k.evidence for k in g.key_points):
        parts.append(f'<p><b>{t(lang, "your_answer")}</b></p><blockquote class="answer">{highlighted(answer, g)}</blockquote>')
    wrong = [k for k in g.key_points if k.contradicted]
    if wrong:
        items = "".join(
            f'<li><span class="said">“{esc(k.evidence)}”</span><br>→ {t(lang, "correct_claim")}: {esc(k.text)}</li>' for k in wrong
        )
        parts.append(f'<p><b>✗ {t(lang, "contradicted")}</b></p><ul class="contradicted">{items}</ul>')
    covered = [k for k in g.key_points if k.covered]
    if covered:
        items = "".join(f'<li>{esc(k.text)}<br><span class="said">“{esc(k.evidence)}”</span></li>' for k in covered)
        parts.append(f'<p><b>✓ {t(lang, "covered")}</b></p><ul class="covered">{items}</ul>')
    if g.missed:
        parts.append(f'<p><b>○ {t(lang, "missed")}</b></p><ul class="missed">' + "".join(f"<li>{esc(p)}</li>" for p in g.missed) + "</ul>")
    if g.misconceptions:
        items = "".join(f"<li>{esc(m.claim)}" + (f" → {esc(m.correction)}" if m.correction else "") + "</li>" for m in g.misconceptions)
        parts.append(f'<p><b>⚠ {t(lang, "misconceptions")}</b></p><ul class="misconceptions">{items}</ul>')
    parts.append(
        entry_html(q, lang)
        .replace('<details class="entry"', '<details class="entry reference"', 1)
        .replace("<summary>", f"<summary>{t(lang, 'reference')}: ", 1)
    )
    cites = [c for c in g.citations if c.kind == "reference"]
    if cites:
        parts.append(
            f'<p><b>{t(lang, "sources")}</b></p><ol class="citations">'
            + "".join(f"<li>{_link(c.title, c.url)}</li>" for c in cites)
            + "</ol>"
        )
    related = [c for c in g.citations if c.kind == "related"]
    for c in related:
        parts.append(f"<p><b>{t(lang, 'related')}</b></p>" + entry_html(kb.questions[c.question_id], lang))
    parts.append("</div>")
    return "".join(parts)


def ask_html(a: Answer, kb, lang: str) -> str:
    """The question as asked (cut to 300 characters), then the extractive answer with numbered
    citations, each opening its entry."""
    shown = a.query if len(a.query) <= 300 else a.query[:300] + "…"
    asked = f'<p class="query">Q. {esc(shown)}</p>'
    if not a.in_bank:
        near = "".join(f"<li>{entry_html(kb.questions[c.question_id], lang)}</li>" for c in a.citations[:3])
        return (
            f'<div class="ask">{asked}<p class="not-covered">{t(lang, "not_covered")}</p>'
            + (f"<p><b>{t(lang, 'nearest')}</b></p><ul>{near}</ul>" if near else "")
            + "</div>"
        )
    body = esc(a.answer)
    body = re.sub(r"\[(\d+)\]", r'<a class="cite" href="#cite-\1">[\1]</a>', body)
    cites = "".join(f'<li id="cite-{n}">{entry_html(kb.questions[c.question_id], lang)}</li>' for n, c in enumerate(a.citations, start=1))
    return f'<div class="ask">{asked}<p class="answer">{body}</p><ol class="citations">{cites}</ol></div>'


CSS = """
.feedback .score {color: white; display: inline-block; padding: 4px 12px; border-radius: 12px; font-weight: 600;}
.feedback ul, .ask ol {margin-top: 2px;}
.feedback .missed li {color: #b91c1c;}
.feedback .covered li {color: #15803d;}
.feedback .contradicted li {color: #b91c1c;}
.feedback .said {color: #52525b; font-size: 0.92em;}
.feedback blockquote.answer {border-left: 3px solid #d4d4d8; margin: 4px 0; padding: 2px 8px; white-space: pre-wrap;}
.feedback mark.ok {background: #dcfce7;}
.feedback mark.bad {background: #fee2e2; text-decoration: underline wavy #b91c1c;}
details.entry summary {cursor: pointer;}
details.entry pre {background: #f4f4f5; padding: 6px 8px; overflow-x: auto; white-space: pre;}
details.entry table {border-collapse: collapse;}
details.entry td, details.entry th {border: 1px solid #d4d4d8; padding: 2px 6px;}
details.entry .image {color: #71717a;}
.ask .query {color: #52525b; overflow-wrap: anywhere;}
"""
