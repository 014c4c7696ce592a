"""The web UI's words in Korean (default) and English."""

from __future__ import annotations

TEXTS = {
    "ko": {
        "title": "## AI 기술 면접 코치\n질문에 답하면 모범 답안과 핵심 포인트에 비추어 채점하고, 놓친 점과 참고 자료를 알려 줍니다. 모든 처리는 이 컴퓨터 안에서 이루어집니다.",
        "tab_interview": "모의 면접", "tab_ask": "질문하기", "tab_progress": "진행 상황",
        "bank": "질문 은행", "topics": "주제 (비우면 전체)", "count": "질문 수", "mode": "방식", "profile": "프로필 이름",
        "start": "면접 시작", "answer": "답변 (Enter: 보내기, Shift+Enter: 줄바꿈)", "send": "보내기",
        "hint": "힌트", "skip": "건너뛰기", "reveal": "답 보기", "end": "종료",
        "modes": {"in-order": "순서대로", "random": "무작위", "weakest": "약한 것 먼저", "review": "복습 (기한 도래)"},
        "intro": "모의 면접을 시작하겠습니다. 질문 {n}개와 꼬리 질문이 이어집니다. 편하게 답해 주세요.",
        "question": "**질문 {k}** ({qid})\n\n{q}", "followup": "**꼬리 질문** ({qid})\n\n{q}",
        "score_line": "{score}점 · {verdict}", "no_interview": "먼저 '면접 시작'을 눌러 주세요.",
        "resumed": "이전에 진행하던 면접을 이어서 합니다.", "finished": "면접이 끝났습니다. 수고하셨습니다! 아래 요약을 확인하세요.",
        "hint_msg": "💡 힌트: {point}", "no_hint": "더 보여 줄 힌트가 없습니다.", "skipped": "이 질문은 건너뛰었습니다.",
        "revealed": "모범 답안을 확인하고 다음 질문으로 넘어갑니다.",
        "covered": "짚은 핵심", "missed": "놓친 핵심", "misconceptions": "틀린 주장", "reference": "모범 답안 보기", "sources": "참고 자료",
        "related": "관련 항목", "verdicts": {"excellent": "훌륭함", "good": "좋음", "partial": "부분적", "insufficient": "부족함", "off-topic": "다른 질문의 답", "no-answer": "답변 없음", "skipped": "건너뜀", "revealed": "답 확인"},
        "ask_box": "궁금한 것을 물어보세요", "ask_btn": "묻기", "not_covered": "이 질문은 현재 질문 은행에서 다루지 않습니다.", "nearest": "가장 가까운 항목",
        "refresh": "새로 고침", "export": "CSV로 내보내기", "attempts": "시도 기록", "over_time": "점수 추이", "per_topic": "주제별 평균",
        "weakest": "약한 질문", "due": "복습할 질문", "summary": "면접 요약", "total": "평균 점수: **{mean}점** ({n}문항)", "language": "언어",
        "empty_answer": "답변이 비어 있습니다. 내용을 입력해 주세요.",
        "too_long": "답변이 {n}자로 너무 깁니다. 앞의 {limit}자만 받아 채점합니다.", "more_chars": " … (이하 {n}자 생략)",
        "query_too_long": "질문이 {n}자로 너무 깁니다. 앞의 {limit}자로 찾습니다.",
        "tab_batch": "일괄 채점", "batch_help": "여러 사람의 답변 파일(CSV·JSONL·XLSX)을 한꺼번에 채점합니다. `answer` 열과 `question_id`, 또는 `question`(자유 문장), 또는 `question` + `reference_answer` 열이 필요합니다. 선택: `id`, `respondent`, 사람 점수 열.",
        "batch_file": "답변 파일", "batch_labels": "사람 점수 열 이름 (선택)", "batch_run": "채점 시작", "batch_hist": "점수 분포",
        "batch_downloads": "결과 내려받기 (JSONL · CSV · HTML 보고서)", "batch_no_file": "먼저 답변 파일을 올려 주세요.", "batch_running": "채점 중",
        "batch_done": "{rows}행 중 **{graded}행 채점** (채점하지 못한 행 {errors}개) · 평균 {mean}점 · 초당 {rate}개",
    },
    "en": {
        "title": "## AI Interview Coach\nAnswer the questions: each answer is graded against a reference answer and its key points, with what you missed and where to read up. Everything runs on this computer.",
        "tab_interview": "Mock interview", "tab_ask": "Ask", "tab_progress": "Progress",
        "bank": "Question bank", "topics": "Topics (empty: all)", "count": "Questions", "mode": "Mode", "profile": "Profile name",
        "start": "Start interview", "answer": "Your answer (Enter sends, Shift+Enter adds a line)", "send": "Send",
        "hint": "Hint", "skip": "Skip", "reveal": "Show answer", "end": "End",
        "modes": {"in-order": "In order", "random": "Random", "weakest": "Weakest first", "review": "Review (due)"},
        "intro": "Let's begin the mock interview: {n} questions, with follow-ups. Take your time.",
        "question": "**Question {k}** ({qid})\n\n{q}", "followup": "**Follow-up** ({qid})\n\n{q}",
        "score_line": "{score}/100 · {verdict}", "no_interview": "Press 'Start interview' first.",
        "resumed": "Resuming your unfinished interview.", "finished": "The interview is over. Well done! See the summary below.",
        "hint_msg": "💡 Hint: {point}", "no_hint": "No more hints for this question.", "skipped": "Question skipped.",
        "revealed": "Here is the reference answer; on to the next question.",
        "covered": "Covered", "missed": "Missed", "misconceptions": "Wrong claims", "reference": "Reference answer", "sources": "Sources",
        "related": "Related entry", "verdicts": {"excellent": "excellent", "good": "good", "partial": "partial", "insufficient": "insufficient", "off-topic": "off-topic", "no-answer": "no answer", "skipped": "skipped", "revealed": "answer shown"},
        "ask_box": "Ask a question", "ask_btn": "Ask", "not_covered": "Not covered by this bank.", "nearest": "Nearest entries",
        "refresh": "Refresh", "export": "Export CSV", "attempts": "Attempts", "over_time": "Score over time", "per_topic": "Average per topic",
        "weakest": "Weakest questions", "due": "Due for review", "summary": "Interview summary", "total": "Mean score: **{mean}** ({n} answers)", "language": "Language",
        "empty_answer": "The answer is empty: type something first.",
        "too_long": "The answer has {n} characters: only the first {limit} are taken and graded.", "more_chars": " … ({n} more characters not shown)",
        "query_too_long": "The question has {n} characters: the first {limit} are searched.",
        "tab_batch": "Batch", "batch_help": "Grade a whole file of answers (CSV, JSONL or XLSX). It needs an `answer` column and `question_id`, or `question` (free text), or `question` + `reference_answer`. Optional: `id`, `respondent`, a column of human grades.",
        "batch_file": "Answer file", "batch_labels": "Column of human grades (optional)", "batch_run": "Grade", "batch_hist": "Score histogram",
        "batch_downloads": "Downloads (JSONL, CSV, HTML report)", "batch_no_file": "Upload an answer file first.", "batch_running": "Grading",
        "batch_done": "**{graded} of {rows} rows graded** ({errors} not graded) · mean {mean} · {rate} answers/s",
    },
}


def t(lang: str, key: str, **kwargs) -> str:
    """The text for `key` in `lang` (Korean when unknown), formatted with kwargs."""
    value = TEXTS.get(lang, TEXTS["ko"])[key]
    return value.format(**kwargs) if kwargs else value
