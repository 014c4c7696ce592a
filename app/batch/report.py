"""Batch results as an Excel-friendly CSV and a self-contained HTML report (no scripts, no CDN)."""

from __future__ import annotations

import csv
import io
import statistics
from collections import Counter

from index.files import csv_cell
from index.text import esc

from ..stats.summary import agreement_text, histogram, mean_by
from .chunk import BatchResult

CSV_COLUMNS = (
    "id",
    "line",
    "respondent",
    "question_id",
    "score",
    "verdict",
    "covered",
    "missed",
    "contradicted",
    "misconceptions",
    "label",
    "match_confidence",
    "error",
)


def csv_text(results: list[BatchResult]) -> str:
    """One row per input row; lists joined with ' | '; text that would run as a formula is quoted."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for r in results:
        d = r.to_dict()
        writer.writerow([csv_cell(d.get(c)) for c in CSV_COLUMNS])
    return out.getvalue()


def histogram_svg(scores: list[int], width: int = 560, height: int = 220) -> str:
    """Counts of scores in ten bins of 10 points, as an inline SVG bar chart."""
    bins = [n for _, n in histogram(scores)]
    top = max(bins) or 1
    bar = (width - 40) / 10
    parts = [
        f'<svg class="chart histogram" role="img" aria-label="score histogram" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">'
    ]
    for i, n in enumerate(bins):
        h = (height - 40) * n / top
        x = 30 + i * bar
        parts.append(
            f'<rect x="{x + 2:.1f}" y="{height - 20 - h:.1f}" width="{bar - 4:.1f}" height="{h:.1f}" fill="#0f766e">'
            f"<title>{i * 10}-{i * 10 + 9}: {n}</title></rect>"
        )
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{height - 5}" font-size="11" text-anchor="middle">{i * 10}</text>')
        if n:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{height - 24 - h:.1f}" font-size="11" text-anchor="middle">{n}</text>')
    parts.append("</svg>")
    return "".join(parts)


def scatter_svg(points: list[tuple[float, float]], width: int = 320, height: int = 320) -> str:
    """Human grade (x) against the grader's grade (y), both 0-5, as an inline SVG."""
    pad = 30
    scale = lambda v, size: pad + (size - 2 * pad) * v / 5  # noqa: E731
    parts = [
        f'<svg class="chart scatter" role="img" aria-label="human against grader" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">',
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{pad}" stroke="#999" stroke-dasharray="4"/>',
    ]
    for human, ours in points:
        parts.append(
            f'<circle cx="{scale(human, width):.1f}" cy="{height - scale(ours, height):.1f}" r="3" fill="#b45309" fill-opacity="0.6"/>'
        )
    for v in range(6):
        parts.append(f'<text x="{scale(v, width):.1f}" y="{height - 10}" font-size="11" text-anchor="middle">{v}</text>')
        parts.append(f'<text x="12" y="{height - scale(v, height) + 4:.1f}" font-size="11">{v}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _table(headers: list[str], rows: list[list], cls: str) -> str:
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def html_report(results: list[BatchResult], summary, kb, title: str = "answers") -> str:
    """The whole report as one HTML page that works offline."""
    graded = [r for r in results if r.score is not None]
    scores = [r.score for r in graded]
    by_q = mean_by(graded, lambda r: r.question_id, lambda r: r.score)
    span = {qid: (min(v), max(v)) for qid, v in _scores_by(graded).items()}
    by_person = mean_by(graded, lambda r: r.respondent or "-", lambda r: r.score)
    missed = Counter((r.question_id, p) for r in graded for p in r.missed)
    q_rows = [
        [qid, kb.questions[qid].question if qid in kb.questions else "", n, m, *span[qid]]
        for qid, (m, n) in sorted(by_q.items(), key=lambda kv: kv[1][0])
    ]
    p_rows = [[who, n, m] for who, (m, n) in sorted(by_person.items(), key=lambda kv: kv[1][0])]
    weak = [[qid, point, n, f"{100 * n / by_q[qid][1]:.0f}%"] for (qid, point), n in missed.most_common(15)]
    errors = [[r.line, r.id, r.error] for r in results if r.error]
    parts = [
        "<!doctype html><html lang='ko'><head><meta charset='utf-8'><title>",
        esc(f"Grading report: {title}"),
        "</title><style>body{font-family:'Noto Sans KR','NanumGothic',sans-serif;margin:2em;max-width:1100px}"
        "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}"
        "th{background:#f3f4f6}.figures span{display:inline-block;margin-right:2em}.chart{border:1px solid #eee}</style></head><body>",
        f"<h1>채점 보고서 (Grading report): {esc(title)}</h1>",
        f"<p class='figures'><span>rows: <b>{summary.rows}</b></span><span>graded: <b>{len(graded)}</b></span>"
        f"<span>errors: <b>{len(errors)}</b></span><span>mean score: <b>{round(statistics.mean(scores), 1) if scores else '-'}</b></span>"
        f"<span>median: <b>{statistics.median(scores) if scores else '-'}</b></span></p>",
        "<h2>점수 분포 (Score histogram)</h2>",
        histogram_svg(scores),
    ]
    if summary.agreement:
        a = summary.agreement
        parts += [
            "<h2>사람 채점과의 일치 (Agreement with human grades)</h2>",
            "<p class='figures agreement'>"
            + "".join(f"<span>{esc(part)}</span>" for part in [f"n {a['n']}", *agreement_text(a).split(" · ")])
            + "</p>",
            scatter_svg([(r.label, r.score / 20) for r in graded if r.label is not None]),
        ]
    parts += [
        "<h2>질문별 (Per question)</h2>",
        _table(["question", "text", "answers", "mean", "min", "max"], q_rows, "per-question"),
        "<h2>응답자별 (Per respondent)</h2>",
        _table(["respondent", "answers", "mean"], p_rows, "per-respondent"),
        "<h2>가장 많이 놓친 핵심 (Most missed key points)</h2>",
        _table(["question", "key point", "missed by", "share"], weak, "weakest"),
    ]
    if errors:
        parts += ["<h2>채점하지 못한 행 (Rows not graded)</h2>", _table(["line", "id", "error"], errors, "errors")]
    parts.append("</body></html>")
    return "".join(parts)


def _scores_by(results: list[BatchResult]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for r in results:
        out.setdefault(r.question_id, []).append(r.score)
    return out
