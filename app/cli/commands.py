"""The `interview` subcommands, each a thin shell: read the arguments, call the domain, print."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import textwrap
from dataclasses import replace

from app.core.settings import Settings
from index.errors import InterviewError


def settings_of(args: argparse.Namespace) -> Settings:
    s = Settings()
    if getattr(args, "content", None):
        s = replace(s, content=args.content)
    if getattr(args, "encoder", None):
        s = replace(s, encoder=args.encoder)
    return s


def knowledge_of(args: argparse.Namespace, rebuild: bool = False):
    from app.core.knowledge import Knowledge

    return Knowledge.open(settings_of(args), rebuild=rebuild)


def print_json(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def read_answer(value: str) -> str:
    """The answer from the argument, or from stdin for '-'; bytes that are not UTF-8 become U+FFFD
    (a terminal may hand over anything, and a lone surrogate would break the output later)."""
    if value != "-":
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    stream = getattr(sys.stdin, "buffer", None)
    return stream.read().decode("utf-8", "replace") if stream is not None else sys.stdin.read()


def format_grade(g) -> str:
    """A grade as terminal text: score and verdict, the message, each key point (✓ covered, ! contradicted,
    ✗ missed) with the answer sentence that decides it, known misconceptions, sources."""
    lines = [f"{g.question_id}: {g.score}/100 ({g.verdict})"]
    if g.message:
        lines.append(g.message)
    for k in g.key_points:
        if k.covered:
            lines += [f"  ✓ {k.text}", f"      ← \"{k.evidence}\""]
        elif k.contradicted:
            lines += [f"  ! {k.text}", f"      ← 틀림 (wrong): \"{k.evidence}\""]
        else:
            lines.append(f"  ✗ {k.text}")
    lines += [f"  ! {m.claim}" + (f" → {m.correction}" if m.correction else "") for m in g.misconceptions]
    refs = [c for c in g.citations if c.kind != "entry"]
    if refs:
        lines.append("참고:")
        lines += [f"  - {c.title}" + (f" <{c.url}>" if c.url else "") for c in refs]
    return "\n".join(lines)


def _print_metrics(metrics: dict, as_json: bool) -> None:
    if as_json:  # NaN (a metric with nothing to measure) is not JSON: null
        print_json({k: (None if v != v else round(v, 4)) if isinstance(v, float) else v for k, v in metrics.items()})
    else:
        for k, v in metrics.items():
            print(f"{k:20s} {v:.4f}" if isinstance(v, float) else f"{k:20s} {v}")


def _folds(cv: int | None) -> None:
    if cv is not None and cv < 2:
        raise InterviewError(f"--cv must be at least 2 folds, got {cv}")


# ---- index and banks ---------------------------------------------------------------------------
def index_build(args) -> int:
    from app.grading.scoring import model_for

    kb = knowledge_of(args, rebuild=True)
    m = kb.index.manifest
    info = {k: m[k] for k in ("encoder", "dim", "count", "content_hash", "ann", "build_seconds", "banks")}
    info["path"] = str(kb.settings.index_dir(kb.encoder.name, [b.slug for b in kb.banks]))
    info["embedded"], info["from_cache"] = kb.cache.misses, kb.cache.hits
    model = model_for(kb)
    info["grader"] = {"encoder": model.encoder, **model.meta}
    if args.json:
        print_json(info)
    else:
        print(
            f"indexed {m['count']} texts from {len(m['banks'])} bank(s) with {m['encoder']} ({m['dim']} dims, {m['ann']}) "
            f"in {m['build_seconds']}s: {info['embedded']} embedded, {info['from_cache']} from cache -> {info['path']}"
        )
    return 0


def index_prebuild(args) -> int:
    from index.prebuilt import prebuilt_path, write_prebuilt
    from index.store import units_for

    kb = knowledge_of(args)
    path = args.output or prebuilt_path(kb.encoder.name)
    n = write_prebuilt(units_for(kb.banks), kb.encoder, kb.cache, path)
    print(f"wrote {n} bank vectors for {kb.encoder.name} from {len(kb.banks)} bank(s) to {path}")
    return 0


def bank_check(args) -> int:
    from index.banks import bank_files, read_bank

    files = [f for given in args.files for f in (bank_files(given) if given.is_dir() else [given])]
    problems = [p for f in files for p in read_bank(f)[1]]
    failing = [p for p in problems if p.severity == "error" or args.strict]
    if args.json:
        print_json([{"file": p.path, "line": p.line, "severity": p.severity, "message": p.message} for p in problems])
    else:
        for p in problems:
            print(p)
        if not problems:
            print(f"ok: {len(files)} file(s), no problems")
    return 1 if failing else 0


def bank_dump(args) -> int:
    from index.banks import load_bank, load_banks

    banks = [load_bank(args.file)] if args.file else load_banks(settings_of(args).content)
    questions = [q for b in banks for q in b.questions]
    if args.json:
        print_json([dict(q.model_dump(mode="json"), answered=q.answered) for q in questions])
    else:
        for q in questions:
            mark = f"{len(q.key_points)} points" if q.answered else "unanswered"
            print(f"{q.id:24s} {mark:12s} {q.question}")
    return 0


# ---- grading and asking ------------------------------------------------------------------------
def grade(args) -> int:
    from app.grading.grade import grade as grade_answer

    if (args.answer is None) == (args.audio is None):
        raise InterviewError("give the answer as text (or - for standard input), or a recording with --audio FILE, not both")
    if args.time_limit is not None and (args.audio is None or args.time_limit <= 0):
        raise InterviewError(f"--time-limit needs --audio and a number of seconds above 0, got {args.time_limit}")
    kb = knowledge_of(args)
    if args.audio is None:
        g = grade_answer(kb, args.question_id, read_answer(args.answer))
        print_json(g.to_dict()) if args.json else print(format_grade(g))
        return 0
    from app.speech.delivery import delivery, summary_lines

    question = kb.question(args.question_id)  # an unknown id fails before the model loads
    t = _whisper(args).transcribe(args.audio, language=args.language)
    g, d = grade_answer(kb, question.id, t.text), delivery(t, args.time_limit)
    if args.json:
        print_json({**g.to_dict(), "transcript": t.to_dict(), "delivery": d.to_dict()})
        return 0
    print(format_grade(g))
    print("spoken answer (delivery, not part of the score):")
    print(textwrap.indent(textwrap.fill(t.text, width=96), "  > "))
    print("\n".join(f"  {line}" for line in ([t.notice] if t.notice else []) + summary_lines(d)))
    return 0


def _whisper(args):
    from app.speech.transcribe import Whisper

    return Whisper(settings_of(args).models_dir)


def transcribe(args) -> int:
    t = _whisper(args).transcribe(args.file, language=args.language)
    if t.notice:
        logging.getLogger("interview").warning("%s", t.notice)
    if args.json:
        print_json(t.to_dict())
        return 0
    print(f"{args.file}: {t.seconds:.1f} s, language {t.language}")
    for s in t.segments:
        print(f"  [{s.start:6.1f} -> {s.end:6.1f}] {s.text}")
    print(t.text)
    return 0


def ask(args) -> int:
    from app.ask.answer import ask as ask_banks

    a = ask_banks(knowledge_of(args), args.query, k=args.k)
    if args.json:
        print_json(a.to_dict())
    else:
        print(textwrap.fill(a.answer, width=100))
        for n, c in enumerate(a.citations, start=1):
            print(f"  [{n}] {c.question_id}  {c.title}  ({c.score})")
        if a.related:
            print("related:")
            for c in a.related:
                print(f"  - {c.question_id}  {c.title}  ({c.score})")
    return 0


# ---- training and benchmarks -------------------------------------------------------------------
def train_grader(args) -> int:
    from app.grading.scoring import save_model
    from eval.datasets import graded_rows
    from eval.train import cross_validate, fit, measure_rows

    kb = knowledge_of(args)
    rows = [r for f in args.data for r in graded_rows(f)]
    examples = measure_rows(kb, rows)
    cv, _ = cross_validate(kb, examples, k=args.folds)
    cv = {k: round(v, 4) for k, v in cv.items()}
    model = fit(examples, kb.encoder.name, meta={"trained_on": [f.as_posix() for f in args.data], "cv": cv})
    path = None if args.dry_run else save_model(model, args.output or kb.settings.models_dir / "grader.json")
    if args.json:
        print_json({"encoder": kb.encoder.name, "cv": cv, "written": str(path) if path else None})
    else:
        print(f"question-wise {args.folds}-fold CV on {len(rows)} answers: " + ", ".join(f"{k} {v}" for k, v in cv.items()))
        print("model not written (--dry-run)" if path is None else f"model for {kb.encoder.name} written to {path}")
    return 0


def train_retrieval(args) -> int:
    from app.ask import relevance
    from eval.bench import query_rows
    from eval.train import fit_relevance

    kb = knowledge_of(args)
    cv, model = fit_relevance(kb, [(q, e) for path in args.data for _, q, e in query_rows(path)])
    path = None if args.dry_run else relevance.save(kb.encoder.name, model, args.output or kb.settings.models_dir / "relevance.json")
    if args.json:
        print_json({"encoder": kb.encoder.name, "cv": cv, "threshold": model.threshold, "written": str(path) if path else None})
    else:
        print(
            f"5-fold CV on {cv['n']} queries: rejection {cv['rejection']}, false rejection {cv['false_rejection']} "
            f"at threshold {model.threshold:.3f}"
        )
        print("model not written (--dry-run)" if path is None else f"model for {kb.encoder.name} written to {path}")
    return 0


def train_judge(args) -> int:
    import logging

    from eval.judge import train as jt
    from index.banks import bank_files, load_bank
    from index.glossary import Glossary

    logging.getLogger("interview.train").setLevel(logging.INFO)
    settings = settings_of(args)
    sources = args.banks or [settings.content]
    banks = [load_bank(f) for s in sources for f in bank_files(s)]
    glossary = Glossary.load(settings.content / "glossary.txt", banks)
    pairs = jt.load_pairs(args.data, banks, expand=glossary.expand)
    held = [p for p in pairs if p.question_id.split("/")[0] in args.holdout]
    used = [p for p in pairs if p.question_id.split("/")[0] not in args.holdout]
    params = {"layers": args.layers, "trainable": args.trainable, "epochs": args.epochs}
    out: dict = {"pairs": len(used), "held_out": len(held), **params}
    if args.init:
        from app.judge.model import Judge

        params["init"] = Judge(settings.models_dir, args.init)
        params["lr"], params["head_lr"] = args.init_lr, args.init_lr * 10
        used = jt.with_replay(used, jt.load_pairs(args.replay, banks, expand=glossary.expand), args.replay_share) if args.replay else used
        out.update(pairs=len(used), init=str(args.init))
    if args.cv:
        out["cv"] = jt.cross_validate(used, args.cv, **params)
    trained = jt.train(jt.augmented(used), **params)
    if held:
        out["holdout"] = jt.report(jt.predict(trained, held), [p.label for p in held])
    path = None
    if not args.dry_run:
        measured = {k: out[k] for k in ("cv", "holdout") if k in out}
        files = {"trained_on": [f.as_posix() for f in args.data], "replay": [f.as_posix() for f in args.replay]}
        meta = {**files, "held_out": list(args.holdout), **measured}
        path = jt.save_judge(trained, args.output or settings.models_dir / "judge.npz", meta)
    out["written"] = str(path) if path else None
    if args.json:
        print_json(out)
    else:
        for key in ("cv", "holdout"):
            if key in out:
                print(f"{key}: " + ", ".join(f"{k} {v}" for k, v in out[key].items()))
        print("judge not written (--dry-run)" if path is None else f"judge written to {path}")
    return 0


def bench_grader(args) -> int:
    from eval.bench import bench_grader as run

    _folds(args.cv)
    _print_metrics(run(settings_of(args), args.data, cv=args.cv), args.json)
    return 0


def bench_points(args) -> int:
    from eval.bench import bench_points as run

    _print_metrics(run(settings_of(args), args.data), args.json)
    return 0


def bench_retrieval(args) -> int:
    from eval.bench import bench_retrieval as run

    _folds(args.cv)
    _print_metrics(run(settings_of(args), args.data, cv=args.cv), args.json)
    return 0


# ---- batch and the web app ---------------------------------------------------------------------
def batch(args) -> int:
    from app.batch.run import run_batch
    from app.stats.summary import agreement_text

    s = run_batch(
        settings_of(args),
        args.input,
        args.output,
        bank=args.bank,
        labels=args.labels,
        resume=args.resume,
        strict=args.strict,
        workers=args.workers,
        engine=args.engine,
        scheduler=args.scheduler,
        language=args.language,
    )
    info = {
        "rows": s.rows,
        "graded": s.graded,
        "errors": s.errors,
        "already_done": s.skipped_done,
        "seconds": round(s.seconds, 2),
        "answers_per_second": round(s.rate, 1),
        "output": str(args.output),
    }
    if s.agreement:
        info["agreement"] = {k: round(v, 4) for k, v in s.agreement.items()}
    if args.json:
        print_json(info)
    else:
        print(
            f"graded {s.graded} of {s.rows} rows ({s.errors} not graded, {s.skipped_done} done before) "
            f"in {s.seconds:.1f}s, {s.rate:.1f} answers/s -> {args.output}"
        )
        if s.agreement:
            print("agreement with --labels: " + agreement_text(s.agreement))
    return 0


def serve(args) -> int:
    from app.practice.history import History
    from app.web.auth import is_loopback, parse_auth

    auth = parse_auth(args.auth, args.auth_file)
    if not 0 < args.port < 65536:
        raise InterviewError(f"--port must be 1-65535, got {args.port}")
    log = logging.getLogger("interview")
    if not is_loopback(args.host) and auth is None:
        log.warning("listening on %s without --auth: anyone who can reach this address can use the app and read its history", args.host)
    settings = settings_of(args)
    kb = knowledge_of(args)
    from app.web import app as web

    log.info("serving on http://%s:%d (data in %s)", args.host, args.port, settings.home)
    web.serve(kb, History(settings.history_path), settings, host=args.host, port=args.port, auth=auth)
    return 0
