"""An interview's summary as one self-contained HTML page that prints well to PDF (no scripts, no CDN).

Per question: the question, the answer as given, the score that counts (with the grader's beside it
when the user overruled it), each key point with its status, the reference answer and its sources.
The words are Korean or English, as the page that asks for it.
"""

from __future__ import annotations

import time

from index.text import esc

from ..grading.grade import colour_for
from .history import History
from .interview import GAVE_UP, Interview, summary

WORDS = {
    "ko": {
        "title": "모의 면접 요약",
        "when": "일시",
        "profile": "프로필",
        "bank": "질문 은행",
        "mean": "평균 점수",
        "questions": "문항",
        "follow_up": "꼬리 질문",
        "answer": "내 답변",
        "no_answer": "(답변 없음)",
        "points": "핵심 포인트",
        "reference": "모범 답안",
        "sources": "참고 자료",
        "status": {"covered": "✓ 짚음", "missed": "✗ 놓침", "contradicted": "! 틀리게 말함"},
        "overruled": "직접 바로잡음 (채점기 {graded}점)",
        "topics": "주제별 평균",
        "hint": "힌트 사용",
        "took": "답변 시간",
        "verdicts": {
            "excellent": "훌륭함", "good": "좋음", "partial": "부분적", "insufficient": "부족함", "off-topic": "다른 질문의 답",
            "no-answer": "답변 없음", "skipped": "건너뜀", "revealed": "답 확인", "timed-out": "시간 초과",
        },
    },
    "en": {
        "title": "Mock interview summary",
        "when": "Date",
        "profile": "Profile",
        "bank": "Bank",
        "mean": "Mean score",
        "questions": "questions",
        "follow_up": "follow-up",
        "answer": "Your answer",
        "no_answer": "(no answer)",
        "points": "Key points",
        "reference": "Reference answer",
        "sources": "Sources",
        "status": {"covered": "✓ stated", "missed": "✗ missed", "contradicted": "! stated wrongly"},
        "overruled": "overruled by you (the grader gave {graded})",
        "topics": "Mean per topic",
        "hint": "hint used",
        "took": "time",
        "verdicts": {},
    },
}
STYLE = """
body { font-family: 'NanumGothic', 'Noto Sans KR', 'Malgun Gothic', sans-serif; max-width: 52rem; margin: 2rem auto; color: #111;
       line-height: 1.5; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; } h2 { font-size: 1.1rem; margin: 0 0 .5rem; }
.meta { color: #444; margin-bottom: 1.5rem; } .meta span { margin-right: 1.25rem; }
section.turn { border: 1px solid #ccc; border-radius: 6px; padding: .75rem 1rem; margin: 1rem 0; break-inside: avoid; }
.score { font-weight: bold; } .answer { white-space: pre-wrap; background: #f6f6f6; padding: .5rem; border-radius: 4px; }
ul.points li.covered { color: #15803d; } ul.points li.missed { color: #555; } ul.points li.contradicted { color: #b91c1c; }
.reference { color: #333; font-size: .95rem; white-space: pre-wrap; } .small { font-size: .85rem; color: #555; }
table.topics td, table.topics th { padding: .15rem .75rem; text-align: left; border-bottom: 1px solid #ddd; }
@media print { body { margin: 0; max-width: none; } section.turn { border-color: #999; } a { color: #111; } }
"""


def summary_html(kb, history: History, iv: Interview, lang: str = "ko") -> str:
    """The interview's summary page (every turn so far; an unfinished interview gives what was answered)."""
    w = WORDS.get(lang, WORDS["ko"])
    verdicts = w["verdicts"]
    s = summary(kb, iv)
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(iv.started_at))
    parts = [
        f'<!doctype html><html lang="{esc(lang)}"><head><meta charset="utf-8"><title>{esc(w["title"])}</title>',
        f"<style>{STYLE}</style></head><body>",
        f"<h1>{esc(w['title'])}</h1>",
        f'<p class="meta"><span>{esc(w["when"])}: {esc(when)}</span><span>{esc(w["profile"])}: {esc(iv.profile)}</span>'
        f'<span>{esc(w["bank"])}: {esc(iv.bank)}</span>'
        f'<span>{esc(w["mean"])}: <b>{s["mean"]}</b> ({len(s["rows"])} {esc(w["questions"])})</span></p>',
    ]
    if s["topics"]:
        rows = "".join(f"<tr><td>{esc(k)}</td><td>{m}</td></tr>" for k, m in s["topics"].items())
        parts.append(f'<table class="topics"><tr><th>{esc(w["topics"])}</th><th></th></tr>{rows}</table>')
    for n, turn in enumerate(iv.turns, 1):
        parts.append(_turn_html(kb, history, iv, turn, n, w, verdicts))
    parts.append("</body></html>")
    return "\n".join(parts)


def _turn_html(kb, history: History, iv: Interview, turn, n: int, w: dict, verdicts: dict) -> str:
    q = kb.questions[turn.question_id]
    attempt = history.attempt(iv.profile, turn.attempt) if turn.attempt is not None else None
    verdict = verdicts.get(turn.verdict, turn.verdict)
    head = f"{n}. {q.question}" + (f" ({w['follow_up']})" if turn.follow_up else "")
    score = f'<span class="score" style="color:{colour_for(turn.score)}">{turn.score}</span> · {esc(verdict)}'
    if attempt is not None and attempt["overruled"]:
        score += " · " + esc(w["overruled"].format(graded=attempt["graded_score"]))
    extras = [esc(w["hint"])] if turn.hint_used else []
    if turn.seconds is not None:
        extras.append(f"{esc(w['took'])} {int(turn.seconds) // 60}:{int(turn.seconds) % 60:02d}")
    out = [
        '<section class="turn">',
        f"<h2>{esc(head)} <span class=\"small\">{esc(q.id)}</span></h2>",
        f"<p>{score}" + (f' <span class="small">({", ".join(extras)})</span>' if extras else "") + "</p>",
    ]
    if turn.verdict not in GAVE_UP:
        out.append(f"<p><b>{esc(w['answer'])}</b></p><div class=\"answer\">{esc(turn.answer) or esc(w['no_answer'])}</div>")
    points = attempt["points"] if attempt and attempt["points"] else [{"text": p, "status": "missed"} for p in q.points()]
    marked = attempt["overruled_points"] if attempt else {}
    items = "".join(
        f'<li class="{st}">{esc(w["status"][st])}: {esc(p["text"])}</li>'
        for p in points
        for st in [marked.get(p["text"], p["status"])]
    )
    out.append(f"<p><b>{esc(w['points'])}</b></p><ul class=\"points\">{items}</ul>")
    out.append(f"<p><b>{esc(w['reference'])}</b></p><div class=\"reference\">{esc(q.answer_text)}</div>")
    if q.references:
        refs = "".join(
            f"<li>{esc(r.title)}" + (f' &lt;<a href="{esc(r.url)}">{esc(r.url)}</a>&gt;' if r.url else "") + "</li>" for r in q.references
        )
        out.append(f"<p class=\"small\"><b>{esc(w['sources'])}</b></p><ul class=\"small\">{refs}</ul>")
    out.append("</section>")
    return "\n".join(out)
