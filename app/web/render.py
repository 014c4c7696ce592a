"""HTML and markdown for the web UI. Every piece of text that a user or a bank wrote is escaped."""

from __future__ import annotations

import re
from pathlib import Path

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


def points_html(q: Question, lang: str) -> str:
    """The entry's key points, as a list under their heading (for Skip and Show answer)."""
    if not q.key_points:
        return ""
    items = "".join(f"<li>{esc(p)}</li>" for p in q.key_points)
    return f'<div class="feedback"><p><b>{t(lang, "key_points")}</b></p><ul class="key-points">{items}</ul></div>'


def _short(text: str, limit: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def chat_feedback(g: Grade, lang: str) -> str:
    """The verdict on each key point as chat markdown, under the score line: what was covered
    (with the deciding sentence), contradicted (with the correct claim), missed, and listed
    misconceptions. The feedback panel has the same with the reference and sources."""
    lines = []
    for k in g.key_points:
        if k.contradicted:
            lines.append(f"- ✗ {md_text(_short(k.evidence or ''))} → {t(lang, 'correct_claim')}: {md_text(k.text)}")
    for k in g.key_points:
        if k.covered:
            lines.append(f"- ✓ {md_text(k.text)}" + (f" ← “{md_text(_short(k.evidence))}”" if k.evidence else ""))
    lines += [f"- ○ {md_text(p)}" for p in g.missed]
    lines += [f"- ⚠ {md_text(m.claim)}" + (f" → {md_text(m.correction)}" if m.correction else "") for m in g.misconceptions]
    return "\n".join(lines)


def points_markdown(q: Question, lang: str) -> str:
    """The key points as chat markdown (after Skip or Show answer)."""
    if not q.key_points:
        return ""
    return f"**{t(lang, 'key_points')}**\n" + "\n".join(f"- {md_text(p)}" for p in q.key_points)


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


def feedback_html(g: Grade, q: Question, kb, lang: str, answer: str | None = None, delivery: str = "") -> str:
    """The graded reply: score badge (with a spoken answer's `delivery` block right under it, kept
    apart from the content), the answer with its deciding sentences marked, each key point
    (covered with its sentence, contradicted with the wrong sentence and the correct claim, missed),
    known misconceptions, reference, citations."""
    verdict = t(lang, "verdicts").get(g.verdict, g.verdict)
    parts = [
        f'<div class="feedback" data-score="{g.score}">',
        f'<div class="score" style="background:{colour_for(g.score)}">{esc(t(lang, "score_line", score=g.score, verdict=verdict))}</div>',
    ]
    if g.message:
        parts.append(f'<p class="message">{esc(g.message)}</p>')
    if delivery:
        parts.append(delivery)
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


def clock(seconds: float | None) -> str:
    """Seconds as m:ss (an empty string for None)."""
    if seconds is None:
        return ""
    m, s = divmod(int(round(seconds)), 60)
    return f"{m}:{s:02d}"


def clock_html(turn: str, remaining: float | None, say: str, lang: str) -> str:
    """The countdown of the current question, run by the page's script (clock.js): `turn` changes
    with every question put (the script restarts the countdown and, when asked to, reads `say`
    aloud); `remaining` seconds, None when untimed."""
    left = "" if remaining is None else f"{max(remaining, 0.0):.1f}"
    return (
        f'<div class="clock" data-turn="{esc(turn)}" data-remaining="{left}" data-say="{esc(say)}" '
        f'data-left-label="{esc(t(lang, "time_left"))}" data-up-label="{esc(t(lang, "time_up"))}" '
        f'data-no-voice="{esc(t(lang, "no_voice"))}"><span class="left"></span><span class="voice"></span></div>'
    )


def delivery_html(d, lang: str, notice: str | None = None) -> str:
    """A spoken answer's delivery (`app.speech.delivery.Delivery`), shown beside the grade and
    kept apart from it: length, rate against the comfortable band, filler words, long pauses."""
    from app.speech.delivery import BANDS, SLOW_START

    low, high = BANDS[d.rate_unit]
    items = [t(lang, "d_length", s=clock(d.seconds)) + (t(lang, "d_limit", s=clock(d.time_limit)) if d.time_limit else "")]
    if d.pace:
        unit = t(lang, "d_units")[d.rate_unit]
        items.append(t(lang, "d_rate", rate=f"{d.rate:.0f}", unit=unit, pace=t(lang, "d_paces")[d.pace], low=low, high=high))
    if d.fillers:
        words = ", ".join(f"{w} ×{n}" for w, n in d.fillers.items())
        items.append(t(lang, "d_fillers", n=d.filler_count, list=words))
    else:
        items.append(t(lang, "d_no_fillers"))
    if d.long_pauses:
        where = ", ".join(f"{p.seconds:.1f}s @ {clock(p.start)}" for p in d.long_pauses)
        items.append(t(lang, "d_pauses", n=len(d.long_pauses), list=where))
    if d.first_word_at >= SLOW_START:
        items.append(t(lang, "d_first", s=f"{d.first_word_at:.1f}s"))
    if d.over_limit:
        items.append(t(lang, "d_over", s=clock(d.over_limit)))
    elif d.short:
        items.append(t(lang, "d_short"))
    if notice:
        items.append(notice)
    body = "".join(f"<li>{esc(i)}</li>" for i in items)
    return (
        f'<div class="delivery" data-rate="{d.rate:.0f}" data-fillers="{d.filler_count}"><p><b>🎤 {esc(t(lang, "delivery"))}</b></p>'
        f'<ul>{body}</ul><p class="source">{esc(t(lang, "d_source"))}</p></div>'
    )


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
    # A citation is a button the page's script (clock.js) turns into "open this entry and scroll to it".
    body = re.sub(r"\[(\d+)\]", r'<a class="cite" data-cite="\1" role="button">[\1]</a>', esc(a.answer))
    cites = "".join(
        f'<li data-cite="{n}">{entry_html(kb.questions[c.question_id], lang)}</li>' for n, c in enumerate(a.citations, start=1)
    )
    related = "".join(f"<li>{entry_html(kb.questions[c.question_id], lang)}</li>" for c in a.related)
    return (
        f'<div class="ask">{asked}<p class="answer">{body}</p><ol class="citations">{cites}</ol>'
        + (f'<p><b>{t(lang, "related")}</b></p><ul class="related">{related}</ul>' if related else "")
        + "</div>"
    )


# The page's script: the answer countdown and the question reader (passed to launch(js=...)).
SCRIPT = (Path(__file__).parent / "clock.js").read_text(encoding="utf-8")

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
.ask a.cite {cursor: pointer; color: #2563eb;}
#chat button[aria-label="대화 지우기"], #chat button[aria-label="Clear"], #chat button[title="대화 지우기"], #chat button[title="Clear"]
  {display: none !important;}
.ask li.cited {background: #fef9c3;}
.delivery {border: 1px solid #d4d4d8; border-radius: 8px; padding: 4px 12px; margin-top: 8px;}
.delivery .source {color: #71717a; font-size: 0.85em;}
.clock {font-weight: 600; font-variant-numeric: tabular-nums; min-height: 1.4em;}
.clock.low .left {color: #b91c1c;}
.clock.up .left {color: #b91c1c;}
.clock .voice {color: #71717a; font-weight: 400; margin-left: 1em;}
"""


def topic_frame(means: dict[str, tuple[float, int]]):
    """Mean score per topic for a bar chart; each label carries its mean, so a topic at 0 (no bar) still shows."""
    import pandas as pd

    return pd.DataFrame({"topic": [f"{k} ({m:g})" for k, (m, _) in means.items()], "score": [m for m, _ in means.values()]})
