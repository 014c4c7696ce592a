"""The `interview` command: a thin shell over index, grading and ask."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

from index.errors import InterviewError

from .settings import Settings

EXAMPLES = {
    "index build": "interview index build\n  interview index build --content content/ --encoder st:all-MiniLM-L6-v2",
    "bank check": "interview bank check content/deep-learning.md\n  interview bank check content/*.md --strict",
    "bank dump": "interview bank dump --json\n  interview bank dump content/deep-learning.md --json",
    "grade": 'interview grade deep-learning/12 "ReLU는 양수 구간 기울기가 1이라 기울기 소실이 적습니다."\n  echo "..." | interview grade deep-learning/12 - --json',
    "ask": 'interview ask "드롭아웃은 왜 쓰나요?"\n  interview ask "What does batch normalization do?" -k 3 --json',
    "train grader": "interview train grader --data eval/data/ko-answers.jsonl",
    "train retrieval": "interview train retrieval --data eval/data/retrieval.csv",
    "bench grader": "interview bench grader --data eval/data/ko-answers.jsonl --cv 5\n  interview bench grader --data ../shared/benchmarks/mohler-dev/answers.csv --cv 5 --json",
    "bench retrieval": "interview bench retrieval --data eval/data/retrieval.csv --cv 5 --json",
    "batch": "interview batch answers.csv -o graded.html\n  interview batch answers.xlsx -o graded.jsonl --labels human_grade\n  interview batch answers.csv -o graded.csv --resume",
    "serve": "interview serve\n  interview serve --host 0.0.0.0 --port 8080 --auth-file logins.txt   # USER:PASS lines",
    "practice": "interview practice\n  interview practice --start deep-learning/16 -n 3",
}


def _epilog(name: str) -> str:
    return "examples:\n  " + EXAMPLES[name]


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--content", type=Path, help="folder of bank files (default: the bundled content/)")
    p.add_argument("--encoder", help="e5 (default), st:<model path or cached name>, or fake")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="interview", description="Offline mock-interview coach: grade answers and ask questions against markdown question banks.")
    sub = parser.add_subparsers(dest="command", required=True)
    fmt = argparse.RawDescriptionHelpFormatter

    idx = sub.add_parser("index", help="build the vector index").add_subparsers(dest="action", required=True)
    p = idx.add_parser("build", help="embed the banks and write the index", epilog=_epilog("index build"), formatter_class=fmt)
    _common(p)
    p.set_defaults(func=cmd_index_build)

    bank = sub.add_parser("bank", help="check or dump bank files").add_subparsers(dest="action", required=True)
    p = bank.add_parser("check", help="lint bank files: file:line: message", epilog=_epilog("bank check"), formatter_class=fmt)
    p.add_argument("files", nargs="+", type=Path)
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_bank_check)
    p = bank.add_parser("dump", help="print the parsed questions", epilog=_epilog("bank dump"), formatter_class=fmt)
    p.add_argument("file", nargs="?", type=Path, help="a bank file (default: every bank in --content)")
    p.add_argument("--content", type=Path)
    p.add_argument("--json", action="store_true", help="JSON list of questions (the default output)")
    p.set_defaults(func=cmd_bank_dump)

    p = sub.add_parser("grade", help="grade an answer to a question", epilog=_epilog("grade"), formatter_class=fmt)
    p.add_argument("question_id", help="for example deep-learning/12-1")
    p.add_argument("answer", help="the answer text, or - to read it from standard input")
    _common(p)
    p.set_defaults(func=cmd_grade)

    p = sub.add_parser("ask", help="answer a question from the banks, with citations", epilog=_epilog("ask"), formatter_class=fmt)
    p.add_argument("query")
    p.add_argument("-k", type=int, default=5, help="how many entries to cite (default 5)")
    _common(p)
    p.set_defaults(func=cmd_ask)

    train = sub.add_parser("train", help="fit the grading model").add_subparsers(dest="action", required=True)
    p = train.add_parser("grader", help="fit the grader on graded answers and report cross-validated agreement", epilog=_epilog("train grader"), formatter_class=fmt)
    p.add_argument("--data", nargs="+", type=Path, required=True, help="CSV or JSONL files with question_id, answer, grade (0-5)")
    p.add_argument("--folds", type=int, default=5, help="question-wise cross-validation folds (default 5)")
    p.add_argument("--dry-run", action="store_true", help="report the cross-validation only; do not write app/grader.json")
    _common(p)
    p.set_defaults(func=cmd_train_grader)
    p = train.add_parser("retrieval", help="fit the model that decides whether the bank covers a question", epilog=_epilog("train retrieval"), formatter_class=fmt)
    p.add_argument("--data", type=Path, required=True, help="CSV or JSONL: query, expected (a question id, or empty when not covered)")
    p.add_argument("--dry-run", action="store_true", help="report the cross-validation only; do not write app/relevance.json")
    _common(p)
    p.set_defaults(func=cmd_train_retrieval)

    bench = sub.add_parser("bench", help="measure the grader and the retrieval").add_subparsers(dest="action", required=True)
    p = bench.add_parser("grader", help="agreement with human grades: Pearson, Spearman, QWK, RMSE, pass accuracy", epilog=_epilog("bench grader"), formatter_class=fmt)
    p.add_argument("--data", type=Path, required=True, help="CSV or JSONL: question_id (or question + reference_answer), answer, grade 0-5")
    p.add_argument("--cv", type=int, metavar="K", help="fit and test by question-wise K-fold cross-validation instead of using the shipped model")
    _common(p)
    p.set_defaults(func=cmd_bench_grader)
    p = bench.add_parser("retrieval", help="recall@1/@5, MRR@5 and rejection of out-of-bank questions", epilog=_epilog("bench retrieval"), formatter_class=fmt)
    p.add_argument("--data", type=Path, required=True, help="CSV or JSONL: query, expected (a question id, or empty when not covered)")
    p.add_argument("--cv", type=int, metavar="K", help="refit the in-bank decision by K-fold cross-validation on the file")
    _common(p)
    p.set_defaults(func=cmd_bench_retrieval)

    p = sub.add_parser("batch", help="grade a whole answer set (CSV, JSONL or XLSX) into JSONL, CSV or an HTML report", epilog=_epilog("batch"), formatter_class=fmt)
    p.add_argument("input", type=Path, help="answers: .csv (UTF-8 or CP949), .jsonl or .xlsx with an 'answer' column and question_id, question, or question + reference_answer")
    p.add_argument("-o", "--output", type=Path, required=True, help="results: .jsonl, .csv or .html")
    p.add_argument("--bank", type=Path, help="a bank file or folder to grade against (default: --content)")
    p.add_argument("--labels", metavar="COLUMN", help="a column of human grades 0-5: report agreement with them")
    p.add_argument("--resume", action="store_true", help="continue an interrupted run; rows already graded are not graded again")
    p.add_argument("--strict", action="store_true", help="stop at the first row that cannot be graded")
    p.add_argument("--workers", type=int, default=1, help="grading processes, each with cores/N encoder threads (default 1)")
    p.add_argument("--engine", choices=["processes", "dask"], default="processes",
                   help="processes: a local pool of --workers; dask: a Dask cluster (local unless --scheduler)")
    p.add_argument("--scheduler", metavar="ADDRESS", help="with --engine dask: a running scheduler, e.g. tcp://10.0.0.5:8786")
    _common(p)
    p.set_defaults(func=cmd_batch)

    p = sub.add_parser("serve", help="start the web app (mock interview, ask, progress)", epilog=_epilog("serve"), formatter_class=fmt)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    p.add_argument("--auth", metavar="USER:PASS", action="append", help="require a login (repeat for more users); the user name is the history profile")
    p.add_argument("--auth-file", type=Path, metavar="FILE", help="USER:PASS lines, one user each (kept out of the process list, unlike --auth)")
    _common(p)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("practice", help="a mock interview in the terminal", epilog=_epilog("practice"), formatter_class=fmt)
    p.add_argument("--start", help="question id to start from (default: the first)")
    p.add_argument("-n", type=int, default=5, help="how many questions (default 5)")
    _common(p)
    p.set_defaults(func=cmd_practice)
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    s = Settings()
    if getattr(args, "content", None):
        s = replace(s, content=args.content)
    if getattr(args, "encoder", None):
        s = replace(s, encoder=args.encoder)
    return s


def _knowledge(args: argparse.Namespace, rebuild: bool = False):
    from .knowledge import Knowledge

    return Knowledge.open(_settings(args), rebuild=rebuild)


def _print_json(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def cmd_index_build(args) -> int:
    kb = _knowledge(args, rebuild=True)
    m = kb.index.manifest
    info = {k: m[k] for k in ("encoder", "dim", "count", "content_hash", "ann", "build_seconds", "banks")}
    info["path"] = str(_settings(args).index_dir(kb.encoder.name, [b.slug for b in kb.banks]))
    info["embedded"], info["from_cache"] = kb.cache.misses, kb.cache.hits
    info["grader"] = {"encoder": kb.score_model.encoder, **kb.score_model.meta}
    if args.json:
        _print_json(info)
    else:
        print(f"indexed {m['count']} texts from {len(m['banks'])} bank(s) with {m['encoder']} ({m['dim']} dims, {m['ann']}) "
              f"in {m['build_seconds']}s: {info['embedded']} embedded, {info['from_cache']} from cache -> {info['path']}")
    return 0


def cmd_bank_check(args) -> int:
    from index.bank import read_bank

    problems = []
    for f in args.files:
        problems.extend(read_bank(f)[1])
    failing = [p for p in problems if p.severity == "error" or args.strict]
    if args.json:
        _print_json([{"file": p.path, "line": p.line, "severity": p.severity, "message": p.message} for p in problems])
    else:
        for p in problems:
            print(p)
        if not problems:
            print(f"ok: {len(args.files)} file(s), no problems")
    return 1 if failing else 0


def cmd_bank_dump(args) -> int:
    from index.bank import load_bank, load_banks

    banks = [load_bank(args.file)] if args.file else load_banks(_settings(args).content)
    rows = []
    for b in banks:
        for q in b.questions:
            d = q.model_dump(mode="json")
            d["answered"] = q.answered
            rows.append(d)
    _print_json(rows)
    return 0


def _read_answer(value: str) -> str:
    """The answer from the argument, or from stdin for '-'; bytes that are not UTF-8 become U+FFFD
    (a terminal may hand over anything, and a lone surrogate would break the output later)."""
    if value != "-":
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    stream = getattr(sys.stdin, "buffer", None)
    return stream.read().decode("utf-8", "replace") if stream is not None else sys.stdin.read()


def _format_grade(g) -> str:
    lines = [f"{g.question_id}: {g.score}/100 ({g.verdict})"]
    if g.message:
        lines.append(g.message)
    lines += [f"  ✓ {k.text}" for k in g.key_points if k.covered]
    lines += [f"  ✗ {k.text}" for k in g.key_points if not k.covered]
    lines += [f"  ! {m['claim']}" + (f" → {m['correction']}" if m.get("correction") else "") for m in g.misconceptions]
    refs = [c for c in g.citations if c.kind != "entry"]
    if refs:
        lines.append("참고:")
        lines += [f"  - {c.title}" + (f" <{c.url}>" if c.url else "") for c in refs]
    return "\n".join(lines)


def cmd_grade(args) -> int:
    from .grading import grade

    answer = _read_answer(args.answer)
    kb = _knowledge(args)
    g = grade(kb, args.question_id, answer)
    if args.json:
        _print_json(g.to_dict())
    else:
        print(_format_grade(g))
    return 0


def cmd_ask(args) -> int:
    from .ask import ask

    kb = _knowledge(args)
    a = ask(kb, args.query, k=args.k)
    if args.json:
        _print_json(a.to_dict())
    else:
        print(textwrap.fill(a.answer, width=100))
        for n, c in enumerate(a.citations, start=1):
            print(f"  [{n}] {c.question_id}  {c.title}  ({c.score})")
    return 0


def cmd_train_grader(args) -> int:
    from eval.datasets import graded_rows
    from eval.train import cross_validate, fit, measure_rows

    from .scoring import save_model

    kb = _knowledge(args)
    rows = [r for f in args.data for r in graded_rows(f)]
    examples = measure_rows(kb, rows)
    cv, _ = cross_validate(kb, examples, k=args.folds)
    cv = {k: round(v, 4) for k, v in cv.items()}
    model = fit(examples, kb.encoder.name, meta={"trained_on": [f.as_posix() for f in args.data], "cv": cv})
    if not args.dry_run:
        save_model(model)
    if args.json:
        _print_json({"encoder": kb.encoder.name, "cv": cv, "written": not args.dry_run})
    else:
        print(f"question-wise {args.folds}-fold CV on {len(rows)} answers: " + ", ".join(f"{k} {v}" for k, v in cv.items()))
        print("model not written (--dry-run)" if args.dry_run else f"model for {kb.encoder.name} written to app/grader.json")
    return 0


def cmd_train_retrieval(args) -> int:
    from eval.datasets import read_rows
    from eval.train import fit_relevance

    from . import relevance

    kb = _knowledge(args)
    cv, model = fit_relevance(kb, read_rows(args.data))
    if not args.dry_run:
        relevance.save(kb.encoder.name, model)
    if args.json:
        _print_json({"encoder": kb.encoder.name, "cv": cv, "threshold": model.threshold, "written": not args.dry_run})
    else:
        print(f"5-fold CV on {cv['n']} queries: rejection {cv['rejection']}, false rejection {cv['false_rejection']} at threshold {model.threshold:.3f}")
        print("model not written (--dry-run)" if args.dry_run else f"model for {kb.encoder.name} written to app/relevance.json")
    return 0


def _print_metrics(metrics: dict, as_json: bool) -> None:
    if as_json:
        _print_json({k: (round(v, 4) if isinstance(v, float) else v) for k, v in metrics.items()})
    else:
        for k, v in metrics.items():
            print(f"{k:20s} {v:.4f}" if isinstance(v, float) else f"{k:20s} {v}")


def cmd_bench_grader(args) -> int:
    from eval.bench import bench_grader

    if args.cv is not None and args.cv < 2:
        raise InterviewError(f"--cv must be at least 2 folds, got {args.cv}")
    _print_metrics(bench_grader(_settings(args), args.data, cv=args.cv), args.json)
    return 0


def cmd_bench_retrieval(args) -> int:
    from eval.bench import bench_retrieval

    if args.cv is not None and args.cv < 2:
        raise InterviewError(f"--cv must be at least 2 folds, got {args.cv}")
    _print_metrics(bench_retrieval(_settings(args), args.data, cv=args.cv), args.json)
    return 0


def cmd_batch(args) -> int:
    from eval.batch import run_batch

    summary = run_batch(_settings(args), args.input, args.output, bank=args.bank, labels=args.labels,
                        resume=args.resume, strict=args.strict, workers=args.workers,
                        engine=args.engine, scheduler=args.scheduler)
    info = {"rows": summary.rows, "graded": summary.graded, "errors": summary.errors, "already_done": summary.skipped_done,
            "seconds": round(summary.seconds, 2), "answers_per_second": round(summary.rate, 1), "output": str(args.output)}
    if summary.agreement:
        info["agreement"] = {k: round(v, 4) for k, v in summary.agreement.items()}
    if args.json:
        _print_json(info)
    else:
        print(f"graded {summary.graded} of {summary.rows} rows ({summary.errors} not graded, {summary.skipped_done} done before) "
              f"in {summary.seconds:.1f}s, {summary.rate:.1f} answers/s -> {args.output}")
        if summary.agreement:
            print("agreement with --labels: " + ", ".join(f"{k} {v:.3f}" for k, v in summary.agreement.items() if k != "n"))
    return 0


def _parse_auth(values: list[str] | None, file: Path | None = None) -> list[tuple[str, str]] | None:
    """The (user, password) pairs of --auth and --auth-file; None when neither is given."""
    items = [(v, "--auth") for v in values or []]
    if file is not None:
        from index.files import read_text

        lines = read_text(file, "auth file").splitlines()
        items += [(line.strip(), f"{file}:{no}") for no, line in enumerate(lines, 1) if line.strip() and not line.lstrip().startswith("#")]
        if not items:
            raise InterviewError(f"{file} has no USER:PASS lines: add one line per user")
    if not items:
        return None
    pairs: dict[str, str] = {}
    for value, where in items:
        user, sep, password = value.partition(":")
        if not sep or not user.strip() or not password:
            shown = user.strip() or "?"
            raise InterviewError(f"{where}: each login must be USER:PASS with both parts non-empty (user '{shown}')")
        if user.strip() in pairs:
            raise InterviewError(f"{where}: user '{user.strip()}' is given twice: keep one password per user")
        pairs[user.strip()] = password
    return list(pairs.items())


def _is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def cmd_serve(args) -> int:
    from .history import History

    auth = _parse_auth(args.auth, args.auth_file)
    if not 0 < args.port < 65536:
        raise InterviewError(f"--port must be 1-65535, got {args.port}")
    log = logging.getLogger("interview")
    if not _is_loopback(args.host) and auth is None:
        log.warning("listening on %s without --auth: anyone who can reach this address can use the app and read its history", args.host)
    settings = _settings(args)
    kb = _knowledge(args)
    from .ui import serve

    log.info("serving on http://%s:%d (data in %s)", args.host, args.port, settings.home)
    serve(kb, History(settings.history_path), settings, host=args.host, port=args.port, auth=auth)
    return 0


def cmd_practice(args) -> int:
    from .grading import grade

    kb = _knowledge(args)
    ids = [qid for qid in kb.answered_ids]
    start = ids.index(kb.question(args.start).id) if args.start else 0
    print("모의 면접을 시작합니다. 답을 입력하고 빈 줄에서 Enter를 누르세요 (끝내려면 Ctrl-D).\n")
    for qid in ids[start : start + args.n]:
        print(f"Q. {kb.questions[qid].question}")
        lines = []
        try:
            while (line := input("> " if not lines else "  ")) != "":
                lines.append(line)
        except EOFError:
            print()
            return 0
        print(_format_grade(grade(kb, qid, "\n".join(lines))) + "\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("interview: %(message)s"))
    log = logging.getLogger("interview")
    if not log.handlers:
        log.addHandler(handler)
    log.setLevel(logging.INFO)
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except InterviewError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
