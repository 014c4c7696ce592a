"""`interview history`: a profile's attempts, their export, and the user's corrections of a grade.

The web app's Progress tab and its overrule box call the same functions (app.practice.history).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from index.errors import InterviewError

from .commands import print_json, settings_of


def _history(args):
    from app.practice.history import History

    return History(settings_of(args).history_path)


def _write(text: str, output: Path | None, bom: bool = False) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    output.write_text(("\ufeff" if bom else "") + text, encoding="utf-8")
    print(f"wrote {output}", file=sys.stderr)


def list_attempts(args) -> int:
    attempts = _history(args).attempts(args.profile)[-args.last :] if args.last else _history(args).attempts(args.profile)
    if args.json:
        print_json(attempts)
        return 0
    if not attempts:
        print(f"profile '{args.profile}' has no attempts yet")
    for a in attempts:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(a["created_at"]))
        score = f"{a['score']}" + (f" (grader {a['graded_score']}, overruled)" if a["overruled"] else "")
        print(f"#{a['id']}  {when}  {a['question_id']}  {score}  {a['verdict']}")
        for i, p in enumerate(a["points"], 1):
            status = a["overruled_points"].get(p["text"], p["status"])
            mark = {"covered": "✓", "contradicted": "!", "missed": "✗"}[status]
            print(f"    {i}. {mark} {p['text']}" + (" (overruled)" if p["text"] in a["overruled_points"] else ""))
    return 0


def export(args) -> int:
    _write(_history(args).export_csv(args.profile), args.output, bom=True)
    return 0


def labels(args) -> int:
    rows = _history(args).labels(args.profile)
    _write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), args.output)
    return 0


def overrule(args) -> int:
    history = _history(args)
    a = history.attempt(args.profile, args.attempt)
    texts = [p["text"] for p in a["points"]]
    points: dict[str, str] = {}
    for status, numbers in (("covered", args.covered), ("missed", args.missed), ("contradicted", args.contradicted)):
        for n in numbers or []:
            if not 1 <= n <= len(texts):
                raise InterviewError(f"attempt {args.attempt} has key points 1-{len(texts)}, not {n}: see 'interview history list'")
            if texts[n - 1] in points:
                raise InterviewError(f"key point {n} is given two statuses: give each one once")
            points[texts[n - 1]] = status
    if args.score is None and not points:
        raise InterviewError("nothing to overrule: give --score and/or --covered/--missed/--contradicted point numbers")
    after = history.overrule(args.profile, args.attempt, score=args.score, points=points or None)
    if args.json:
        print_json(after)
    else:
        print(f"#{after['id']} {after['question_id']}: {after['score']} (grader {after['graded_score']}); "
              f"{len(after['overruled_points'])} key point(s) overruled")
    return 0
