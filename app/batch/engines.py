"""Where the chunks of a batch run are graded: here, in local processes, or on a Dask cluster.

>>> with graded_chunks("processes", kb, settings, banks, chunks, labels, workers=2) as results:
...     for chunk_results in results:  # in the order of `chunks`
...         write(chunk_results)

Every engine runs the same pure function, `grade_chunk(kb, rows, labels)`, on a Knowledge
loaded once per worker process; they differ only in how the chunks travel. Results come back
in the chunks' order, so the journal and `--resume` behave the same whatever the engine.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager

from index.errors import InterviewError

from ..core.knowledge import Knowledge
from ..core.settings import Settings
from .chunk import grade_chunk
from .rows import AnswerRow

ENGINES = ("processes", "dask")
IN_FLIGHT_PER_WORKER = 4  # Dask: chunks submitted ahead of the one being written, per worker


@contextmanager
def graded_chunks(
    engine: str,
    kb: Knowledge,
    settings: Settings,
    banks: list,
    chunks: list[list[AnswerRow]],
    labels: str | None,
    workers: int = 1,
    scheduler: str | None = None,
    threads: int | None = None,
) -> Iterator[Iterator[list]]:
    """An iterator of each chunk's results, in order; the workers are shut down on exit.

    `threads`: encoder threads per worker process (default cores/workers). Given with the
    processes engine, even one worker runs in a process of its own: the web app grades a batch
    that way, on one thread, so the interview's graders keep a core.
    """
    if engine not in ENGINES:
        raise InterviewError(f"unknown engine '{engine}': use one of {', '.join(ENGINES)}")
    if workers < 1:
        raise InterviewError(f"--workers must be at least 1, got {workers}")
    if engine == "processes" and threads is None and (workers == 1 or len(chunks) < 2):
        yield (grade_chunk(kb, c, labels) for c in chunks)
    elif engine == "processes":
        import multiprocessing

        threads = threads or max(1, (os.cpu_count() or 1) // workers)
        pool = multiprocessing.get_context("spawn").Pool(workers, initializer=_init_worker, initargs=(settings, banks, threads))
        try:
            yield pool.imap(_grade_in_worker, [(c, labels) for c in chunks])  # imap keeps the order
        finally:
            pool.terminate()
    else:
        with _dask_client(scheduler, workers) as client:
            yield _dask_results(client, settings, banks, chunks, labels)


# ---- local processes: a pool whose initializer loads the index once per process --------------
_worker_kb: Knowledge | None = None


def _init_worker(settings: Settings, banks: list, threads: int) -> None:
    global _worker_kb
    os.environ["OMP_NUM_THREADS"] = str(threads)  # before the encoder's OpenMP runtime starts
    _worker_kb = Knowledge.from_banks(banks, settings)


def _grade_in_worker(args: tuple[list[AnswerRow], str | None]) -> list:
    rows, labels = args
    return grade_chunk(_worker_kb, rows, labels)


# ---- Dask: each worker process keeps the Knowledge of the banks it was last given -------------
_dask_kbs: dict[str, Knowledge] = {}


def _grade_on_dask(rows: list[AnswerRow], labels: str | None, settings: Settings, banks: list, key: str) -> list:
    if key not in _dask_kbs:
        _dask_kbs.clear()  # one set of banks at a time: a long-lived cluster serves many runs
        _dask_kbs[key] = Knowledge.from_banks(banks, settings)
    return grade_chunk(_dask_kbs[key], rows, labels)


@contextmanager
def _dask_client(scheduler: str | None, workers: int):
    """A client of the cluster at `scheduler`, or of a local cluster of `workers` processes on 127.0.0.1."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise InterviewError("the dask engine needs Dask: pip install 'dask[distributed]' (or the project's [dist] extra)") from None
    if scheduler:
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as e:
            raise InterviewError(f"cannot reach the Dask scheduler at {scheduler}: {e}") from None
        with client:
            yield client
        return
    threads = max(1, (os.cpu_count() or 1) // workers)
    env = {"OMP_NUM_THREADS": str(threads), "OPENBLAS_NUM_THREADS": "1"}
    with (
        LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None, env=env) as cluster,
        Client(cluster) as client,
    ):
        yield client


def _dask_results(client, settings: Settings, banks: list, chunks: list[list[AnswerRow]], labels: str | None) -> Iterator[list]:
    """Submit a window of chunks ahead and yield their results in order; a failed task raises."""
    key = hashlib.sha256(pickle.dumps((settings, banks))).hexdigest()
    [banks_future] = client.scatter([banks], broadcast=True)
    window = IN_FLIGHT_PER_WORKER * max(1, len(client.scheduler_info().get("workers", {})))
    pending: deque = deque()
    todo = iter(chunks)
    try:
        while True:
            while len(pending) < window and (c := next(todo, None)) is not None:
                pending.append(client.submit(_grade_on_dask, c, labels, settings, banks_future, key, pure=False))
            if not pending:
                return
            yield pending.popleft().result()
    finally:
        for f in pending:
            f.cancel()
