"""`interview practice`: the web app's interview flow in a terminal (history, follow-ups, hints).

An answer is one or more lines ended by an empty line. Instead of an answer: /hint shows the
next key point, /skip and /answer give the question up (recorded as 0, /answer shows the
reference answer and its key points), /end stops; end of input (Ctrl-D) stops too.
"""

from __future__ import annotations

from app.core.limits import MAX_ANSWER_CHARS

from .commands import format_grade, knowledge_of, settings_of

COMMANDS = {"/hint": "hint", "/skip": "skipped", "/answer": "revealed", "/end": "end"}


def _read_answer(prompt: str = "> ") -> str | None:
    """Lines up to an empty one, or a command alone on the first line (None at end of input with nothing typed)."""
    lines: list[str] = []
    try:
        while (line := input(prompt if not lines else "  ")) != "":
            if not lines and line.strip().lower() in COMMANDS:
                return line
            lines.append(line)
    except EOFError:
        print()
        return "\n".join(lines) if lines else None
    return "\n".join(lines)


def run(args) -> int:
    from app.practice import interview as flow
    from app.practice.history import History

    kb = knowledge_of(args)
    history = History(settings_of(args).history_path)
    bank = args.bank or (kb.question(args.start).bank if args.start else flow.default_bank(kb))
    iv = flow.start(kb, history, args.profile, bank, args.mode, args.n, args.topic, first=args.start)
    print(
        f"모의 면접을 시작합니다: 질문 {len(iv.plan) + 1}개와 꼬리 질문. 답을 쓰고 빈 줄에서 Enter를 누르세요. "
        "/hint 힌트, /skip 건너뛰기, /answer 답 보기, /end 종료.\n"
    )
    asked = None
    while iv.current is not None:
        q = kb.questions[iv.current]
        if asked != iv.current:
            label = "꼬리 질문" if iv.current != iv.main else "질문"
            print(f"{label} ({q.id}). {q.question}")
            asked = iv.current
        text = _read_answer()
        if text is None or text.strip() == "/end":
            flow.end(iv)
            break
        command = COMMANDS.get(text.strip().lower())
        if command == "hint":
            point = flow.hint(kb, iv)
            print(f"힌트: {point}\n" if point else "더 보여 줄 힌트가 없습니다.\n")
        elif command in ("skipped", "revealed"):
            flow.skip(kb, history, iv, verdict=command)
            if command == "revealed":
                print(q.answer_text + "\n" + "\n".join(f"  • {p}" for p in q.points()) + "\n")
        elif not text.strip():
            print("답변이 비어 있습니다. 답을 쓰거나 /skip 을 입력하세요. (The answer is empty.)")
        else:
            if len(text) > MAX_ANSWER_CHARS:
                print(f"답변이 {len(text):,}자로 너무 깁니다. 앞의 {MAX_ANSWER_CHARS:,}자만 채점합니다.")
            print(format_grade(flow.answer(kb, history, iv, text[:MAX_ANSWER_CHARS])) + "\n")
    _print_summary(kb, iv)
    if args.summary and iv.turns:
        from app.practice.report import summary_html

        args.summary.write_text(summary_html(kb, history, iv), encoding="utf-8")
        print(f"요약을 {args.summary}에 저장했습니다 (브라우저에서 열어 PDF로 인쇄할 수 있습니다).")
    return 0


def _print_summary(kb, iv) -> None:
    from app.practice import interview as flow

    if not iv.turns:
        print("답한 질문이 없습니다. (No answers.)")
        return
    s = flow.summary(kb, iv)
    print(f"면접 요약: 평균 {s['mean']}점, {len(s['rows'])}문항")
    for r in s["rows"]:
        print(f"  {r['score']:3d}  {r['verdict']:12s} {r['question_id']}  {r['question']}")
    for topic, mean in s["topics"].items():
        print(f"  주제 {topic}: {mean}")
