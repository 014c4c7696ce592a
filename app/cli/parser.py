"""The `interview` command line: subcommands, their options and examples."""

from __future__ import annotations

import argparse
from pathlib import Path

from . import commands, history, practice

EXAMPLES = {
    "index build": "interview index build\n  interview index build --content content/ --encoder st:all-MiniLM-L6-v2",
    "index prebuild": "interview index prebuild   # then commit index/prebuilt/e5-small-q4.npz",
    "bank check": "interview bank check content/\n  interview bank check content/deep-learning.md --strict",
    "bank dump": "interview bank dump\n  interview bank dump content/deep-learning.md --json",
    "grade": 'interview grade deep-learning/12 "ReLU는 양수 구간 기울기가 1이라 기울기 소실이 적습니다."\n'
    '  echo "..." | interview grade deep-learning/12 - --json\n'
    "  interview grade deep-learning/12 --audio answer.wav --time-limit 120   # a spoken answer: transcribed, graded, delivery",
    "transcribe": "interview transcribe answer.wav\n  interview transcribe answer.webm --json\n"
    "  interview transcribe talk.mp3 --language en",
    "ask": 'interview ask "드롭아웃은 왜 쓰나요?"\n  interview ask "What does batch normalization do?" -k 3 --json',
    "train grader": "interview train grader --data eval/data/ko-answers.jsonl\n"
    "  interview train grader --data eval/data/ko-answers.jsonl --output app/grading/grader.json   # ship it",
    "train retrieval": "interview train retrieval --data eval/data/retrieval.csv\n"
    "  interview train retrieval --data eval/data/retrieval.csv eval/data/retrieval-casual.csv eval/data/retrieval-banks.csv \\\n"
    "      --output app/ask/relevance.json   # ship it (retrieval-casual-2.csv stays held out)",
    "train judge": "interview train judge --data eval/data/judge/*.jsonl --output app/judge/judge.npz   # ship it\n"
    "  interview train judge --data eval/data/judge/*.jsonl --holdout statistics --dry-run   # transfer to an unseen bank",
    "bench grader": "interview bench grader --data eval/data/ko-answers.jsonl --cv 5\n"
    "  interview bench grader --data ../shared/benchmarks/mohler-dev/answers.csv --cv 5 --json",
    "bench retrieval": "interview bench retrieval --data eval/data/retrieval.csv --cv 5 --json",
    "bench points": "interview bench points --data eval/data/points/points-w*.jsonl\n  interview bench points --data my-labels.csv --json",
    "batch": "interview batch answers.csv -o graded.html\n  interview batch answers.xlsx -o graded.jsonl --labels human_grade\n"
    "  interview batch answers.csv -o graded.csv --resume\n"
    "  interview batch recorded.csv -o graded.jsonl   # an 'audio' column: recordings beside the file, transcribed first",
    "serve": "interview serve\n  interview serve --host 0.0.0.0 --port 8080 --auth-file logins.txt   # USER:PASS lines",
    "history list": "interview history list --profile minji --last 5",
    "history export": "interview history export --profile minji -o minji.csv",
    "history labels": "interview history labels --profile minji -o eval/data/points/user-minji.jsonl",
    "history overrule": "interview history overrule 42 --profile minji --score 70 --covered 2 3\n"
    "  interview history overrule 42 --missed 1   # the grader ticked point 1, the answer does not state it",
    "practice": "interview practice\n  interview practice --start deep-learning/16 -n 3 --profile minji\n"
    "  (answer, then an empty line; /hint, /skip, /answer or /end instead of an answer)",
}


def _command(sub, name: str, help: str, func, example: str | None = None) -> argparse.ArgumentParser:
    p = sub.add_parser(
        name, help=help, epilog="examples:\n  " + EXAMPLES[example or name], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.set_defaults(func=func)
    return p


def _sources(p: argparse.ArgumentParser, json_output: bool = True) -> None:
    p.add_argument("--content", type=Path, help="folder of bank files (default: the bundled content/)")
    p.add_argument("--encoder", help="e5 (default), st:<model path or cached name>, or fake")
    if json_output:
        p.add_argument("--json", action="store_true", help="print JSON instead of text")


def _language(p: argparse.ArgumentParser) -> None:
    p.add_argument("--language", default="ko", choices=["ko", "en", "auto"], help="the language spoken (default ko; auto detects it)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="interview", description="Offline mock-interview coach: grade answers and ask questions against markdown question banks."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    _banks(sub)
    _grade_and_ask(sub)
    _train_and_bench(sub)
    _batch(sub)
    _serve_and_practice(sub)
    _history(sub)
    return parser


def _history(sub) -> None:
    hist = sub.add_parser("history", help="a profile's attempts, their export, and corrections of a grade").add_subparsers(
        dest="action", required=True
    )

    def profile(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--profile", default="default", help="whose history (default: default)")
        return p

    p = profile(_command(hist, "list", "the attempts with their ids, scores and key-point verdicts", history.list_attempts, "history list"))
    p.add_argument("--last", type=int, metavar="N", help="only the N latest")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p = profile(_command(hist, "export", "every attempt as CSV (Excel reads its Korean)", history.export, "history export"))
    p.add_argument("-o", "--output", type=Path, help="write here (default: standard output)")
    p = profile(_command(
        hist, "labels", "the overruled attempts as labelled answers (eval/data/points format)", history.labels, "history labels"
    ))
    p.add_argument("-o", "--output", type=Path, help="write here (default: standard output)")
    p = profile(_command(
        hist, "overrule", "correct an attempt's grade or key-point verdicts; kept beside the grader's", history.overrule,
        "history overrule",
    ))
    p.add_argument("attempt", type=int, help="the attempt's id (interview history list shows it)")
    p.add_argument("--score", type=int, help="your score, 0-100 (it replaces the grader's in averages and the review schedule)")
    helps = {"covered": "states", "missed": "does not state", "contradicted": "states wrongly"}
    for status, does in helps.items():
        p.add_argument(f"--{status}", type=int, nargs="+", metavar="N", help=f"numbers of the key points the answer {does}")
    p.add_argument("--json", action="store_true", help="print the attempt as JSON")


def _banks(sub) -> None:
    idx = sub.add_parser("index", help="build the vector index").add_subparsers(dest="action", required=True)
    _sources(_command(idx, "build", "embed the banks and write the index", commands.index_build, "index build"))
    p = _command(
        idx, "prebuild", "write the bank vectors shipped with the package (after editing a bundled bank)", commands.index_prebuild,
        "index prebuild",
    )
    _sources(p, json_output=False)
    p.add_argument("--output", type=Path, help="where to write them (default: index/prebuilt/<encoder>.npz in the package)")
    bank = sub.add_parser("bank", help="check or dump bank files").add_subparsers(dest="action", required=True)
    p = _command(bank, "check", "lint bank files: file:line: message", commands.bank_check, "bank check")
    p.add_argument("files", nargs="+", type=Path, help="bank files, or folders of them (every *.md but README.md)")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("--json", action="store_true")
    p = _command(bank, "dump", "list the parsed questions", commands.bank_dump, "bank dump")
    p.add_argument("file", nargs="?", type=Path, help="a bank file (default: every bank in --content)")
    p.add_argument("--content", type=Path)
    p.add_argument("--json", action="store_true", help="every field of every question, as JSON")


def _grade_and_ask(sub) -> None:
    p = _command(sub, "grade", "grade an answer to a question", commands.grade)
    p.add_argument("question_id", help="for example deep-learning/12-1")
    p.add_argument("answer", nargs="?", help="the answer text, or - to read it from standard input (or give --audio)")
    p.add_argument("--audio", type=Path, metavar="FILE", help="a recorded answer (WAV, MP3, OGG, WebM, M4A, FLAC): transcribed, graded")
    p.add_argument("--time-limit", type=float, metavar="SECONDS", help="with --audio: compare the answer's length with this limit")
    _language(p)
    _sources(p)
    p = _command(sub, "transcribe", "transcribe a recording offline (Whisper base): text, timed segments, duration", commands.transcribe)
    p.add_argument("file", type=Path, help="an audio file: WAV, MP3, OGG, WebM, M4A or FLAC, any sample rate, mono or stereo")
    _language(p)
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p = _command(sub, "ask", "answer a question from the banks, with citations", commands.ask)
    p.add_argument("query")
    p.add_argument("-k", type=int, default=5, help="how many entries to cite (default 5)")
    _sources(p)


def _train_and_bench(sub) -> None:
    train = sub.add_parser("train", help="fit the grading model or the in-bank decision").add_subparsers(dest="action", required=True)
    p = _command(
        train, "grader", "fit the grader on graded answers and report cross-validated agreement", commands.train_grader, "train grader"
    )
    p.add_argument("--data", nargs="+", type=Path, required=True, help="CSV or JSONL files with question_id, answer, grade (0-5)")
    p.add_argument("--folds", type=int, default=5, help="question-wise cross-validation folds (default 5)")
    p.add_argument("--output", type=Path, help="where to write the model (default: $INTERVIEW_HOME/models/grader.json)")
    p.add_argument("--dry-run", action="store_true", help="report the cross-validation only; write nothing")
    _sources(p)
    p = _command(
        train, "retrieval", "fit the model that decides whether the bank covers a question", commands.train_retrieval, "train retrieval"
    )
    p.add_argument(
        "--data", nargs="+", type=Path, required=True, help="CSV or JSONL files: query, expected (a question id, or empty when not covered)"
    )
    p.add_argument("--output", type=Path, help="where to write the model (default: $INTERVIEW_HOME/models/relevance.json)")
    p.add_argument("--dry-run", action="store_true", help="report the cross-validation only; write nothing")
    _sources(p)
    p = _command(train, "judge", "fine-tune the claim judge on (key point, sentence) pairs (needs torch; about 20 minutes on 2 cores)",
                 commands.train_judge, "train judge")
    p.add_argument("--data", nargs="+", type=Path, required=True, help="JSONL pairs: question_id, point (1-based), sentence, label")
    p.add_argument("--banks", nargs="+", type=Path,
                   help="bank files or folders the pairs' question ids come from (default: the content folder)")
    p.add_argument("--holdout", nargs="+", default=(), metavar="SLUG",
                   help="banks whose pairs are left out of training and reported on (to measure how the judge transfers)")
    p.add_argument("--cv", type=int, metavar="K", help="also report family-wise K-fold cross-validation (trains K more networks)")
    p.add_argument("--layers", type=int, default=8, help="encoder layers the judge keeps (default 8 of 12)")
    p.add_argument("--trainable", type=int, default=4, help="top layers fine-tuned (default 4)")
    p.add_argument("--epochs", type=int, default=3, help="passes over the pairs (default 3)")
    p.add_argument("--init", type=Path, metavar="JUDGE_NPZ", help="continue from this judge (a warm start on new pairs)")
    p.add_argument("--init-lr", type=float, default=3e-5, help="learning rate of a warm start (the head's is 10x; default 3e-5)")
    p.add_argument("--replay", nargs="+", type=Path, default=(), help="with --init: the judge's earlier pairs, a share mixed in")
    p.add_argument("--replay-share", type=float, default=0.3, help="the share of --replay pairs mixed in (default 0.3)")
    p.add_argument("--output", type=Path, help="where to write the judge (default: $INTERVIEW_HOME/models/judge.npz, which then takes "
                   "precedence over the shipped app/judge/judge.npz)")
    p.add_argument("--dry-run", action="store_true", help="report only; write nothing")
    _sources(p)
    bench = sub.add_parser("bench", help="measure the grader and the retrieval").add_subparsers(dest="action", required=True)
    p = _command(
        bench, "grader", "agreement with human grades: Pearson, Spearman, QWK, RMSE, pass accuracy", commands.bench_grader, "bench grader"
    )
    p.add_argument("--data", type=Path, nargs="+", required=True,
                   help="CSV or JSONL files: question_id (or question + reference_answer), answer, grade 0-5, optionally kind")
    p.add_argument(
        "--cv", type=int, metavar="K", help="fit and test by question-wise K-fold cross-validation instead of using the shipped model"
    )
    _sources(p)
    p = _command(bench, "points", "key-point ticks against labels: precision, recall, F1 (and of contradicted points)",
                 commands.bench_points, "bench points")
    p.add_argument("--data", type=Path, nargs="+", required=True,
                   help="CSV or JSONL files: question_id, answer, covered (';'-separated 1-based key points), optionally contradicted")
    _sources(p)
    p = _command(
        bench, "retrieval", "recall@1/@5, MRR@5 and rejection of out-of-bank questions", commands.bench_retrieval, "bench retrieval"
    )
    p.add_argument("--data", type=Path, required=True, help="CSV or JSONL: query, expected (a question id, or empty when not covered)")
    p.add_argument("--cv", type=int, metavar="K", help="refit the in-bank decision by K-fold cross-validation on the file")
    _sources(p)


def _batch(sub) -> None:
    p = _command(sub, "batch", "grade a whole answer set (CSV, JSONL or XLSX) into JSONL, CSV or an HTML report", commands.batch)
    p.add_argument(
        "input",
        type=Path,
        help="answers: .csv (UTF-8 or CP949), .jsonl or .xlsx with an 'answer' column (or 'audio': recordings, "
        "paths relative to this file) and question_id, question, or question + reference_answer",
    )
    p.add_argument("-o", "--output", type=Path, required=True, help="results: .jsonl, .csv or .html")
    p.add_argument("--bank", type=Path, help="a bank file or folder to grade against (default: --content)")
    p.add_argument("--labels", metavar="COLUMN", help="a column of human grades 0-5: report agreement with them")
    p.add_argument("--resume", action="store_true", help="continue an interrupted run; rows already graded are not graded again")
    p.add_argument("--strict", action="store_true", help="stop at the first row that cannot be graded")
    p.add_argument("--workers", type=int, default=1, help="grading processes, each with cores/N encoder threads (default 1)")
    p.add_argument(
        "--engine",
        choices=["processes", "dask"],
        default="processes",
        help="processes: a local pool of --workers; dask: a Dask cluster (local unless --scheduler)",
    )
    p.add_argument("--scheduler", metavar="ADDRESS", help="with --engine dask: a running scheduler, e.g. tcp://10.0.0.5:8786")
    _language(p)
    _sources(p)


def _serve_and_practice(sub) -> None:
    p = _command(sub, "serve", "start the web app (mock interview, ask, batch, progress)", commands.serve)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    p.add_argument(
        "--auth", metavar="USER:PASS", action="append", help="require a login (repeat for more users); the user name is the history profile"
    )
    p.add_argument(
        "--auth-file", type=Path, metavar="FILE", help="USER:PASS lines, one user each (kept out of the process list, unlike --auth)"
    )
    _sources(p, json_output=False)
    p = _command(sub, "practice", "a mock interview in the terminal: the web app's flow, with history, follow-ups and hints", practice.run)
    p.add_argument("--start", help="question id to start from (default: the bank's first)")
    p.add_argument("-n", type=int, default=5, help="how many main questions (default 5)")
    p.add_argument("--bank", help="which bank, or 'all' for every bank (default: the bank of --start, else deep-learning)")
    p.add_argument("--mode", default="in-order", help="in-order (default), random, weakest, review (due) or cram (all practised)")
    p.add_argument("--topic", action="append", help="only this topic (repeat for more)")
    p.add_argument("--profile", default="default", help="whose history the attempts go to (default: default)")
    p.add_argument("--summary", type=Path, metavar="FILE", help="also write the interview's summary page (HTML, prints to PDF) here")
    _sources(p, json_output=False)
