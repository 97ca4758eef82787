"""Many files on all cores, with a progress bar: shared by build and audit.

Every file is handled in a worker process (pebble's pool), even when there is
only one: a file that takes longer than its time limit is reported as skipped,
its worker is ended, and the other files go on. When mkreport itself is ended
(Ctrl+C, ``kill``, the terminal closed) the workers are ended with it.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, wait
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from typing import Any, TypeVar

from tqdm import tqdm

T = TypeVar("T")

FILE_TIMEOUT = 120.0  # seconds for one file; a real report takes well under one
# The signals that end mkreport from outside: ``kill``, the terminal closed
# (SIGHUP), the console window closed on Windows (SIGBREAK). Ctrl+C is
# KeyboardInterrupt.
ENDING_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGBREAK")
                       if hasattr(signal, name))


def file_timeout(default: float = FILE_TIMEOUT) -> float:
    """Seconds one file may take: ``default``, or the environment's
    MKREPORT_FILE_TIMEOUT when that is a positive number."""
    try:
        value = float(os.environ.get("MKREPORT_FILE_TIMEOUT", ""))
    except ValueError:
        return default
    return value if 0 < value < float("inf") else default


@contextmanager
def on_ending_signals(handler: Callable[[int, Any], Any]) -> Iterator[dict[int, Any]]:
    """``handler`` for :data:`ENDING_SIGNALS` while inside; yields the handlers it
    replaced. A signal ignored before (``nohup``) stays ignored. Signals are
    handled by the main thread only: elsewhere nothing changes."""
    previous: dict[int, Any] = {}
    if not _main_thread():
        yield previous
        return
    try:
        for number in ENDING_SIGNALS:
            if signal.getsignal(number) is signal.SIG_IGN:
                continue
            old = signal.signal(number, handler)
            previous[number] = signal.SIG_DFL if old is None else old
        yield previous
    finally:
        for number, old in previous.items():
            signal.signal(number, old)


def exit_on_signal(number: int, _frame: Any = None) -> None:
    """End as a process ended by ``number`` does (128 + its number), through
    every ``finally`` on the way."""
    raise SystemExit(128 + number)


def run_all(function: Callable[[Any], T], jobs: list[Any], desc: str, workers: int | None = None,
            progress: bool | None = None, done: list[T] | tuple = (), *,
            failed: Callable[[Any, str], T], timeout: float = FILE_TIMEOUT) -> list[T]:
    """``function`` over ``jobs`` in order; ``done`` are results known beforehand.

    A job that takes more than ``timeout`` seconds, or whose worker dies, gets
    ``failed(job, reason)`` as its result, the reason in Chinese.
    """
    results: list[Any] = list(done)
    # disable=None: a bar on a terminal, none in logs and pipes.
    bar = tqdm(total=len(jobs) + len(results), unit="份", desc=desc,
               disable=None if progress is None else not progress)
    bar.update(len(results))
    with bar:
        if jobs:
            workers = min(workers or os.cpu_count() or 1, len(jobs))
            results += _in_workers(function, jobs, workers, timeout, failed, bar)
    return results


def _in_workers(function: Callable[[Any], T], jobs: list[Any], workers: int, timeout: float,
                failed: Callable[[Any, str], T], bar: tqdm) -> list[T]:
    from pebble import ProcessExpired, ProcessPool

    out: list[Any] = [None] * len(jobs)
    # spawn on every system: the way Windows starts workers, tested everywhere.
    pool = ProcessPool(max_workers=workers, context=multiprocessing.get_context("spawn"))
    with on_ending_signals(exit_on_signal):
        try:
            futures = {pool.schedule(function, (job,), timeout=timeout): i for i, job in enumerate(jobs)}
            pending = set(futures)
            while pending:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    i = futures[future]
                    try:
                        out[i] = future.result()
                    except FutureTimeout:
                        out[i] = failed(jobs[i], f"处理超时（超过 {timeout:g} 秒），已跳过")
                    except ProcessExpired as exc:
                        out[i] = failed(jobs[i], f"处理时进程意外结束（退出码 {exc.exitcode}），已跳过")
                    except Exception as exc:  # one file must not stop the others
                        out[i] = failed(jobs[i], f"无法处理（{type(exc).__name__}），已跳过")
                    bar.update()
        except BaseException:
            # Ctrl+C, a signal, or a bug of ours: no worker (nor a LibreOffice it
            # started, which it ends on SIGTERM) outlives mkreport. A second
            # signal must not cut this short.
            previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if _main_thread() else None
            with on_ending_signals(signal.SIG_IGN):
                pool.stop()
                pool.join()
            if previous is not None:
                signal.signal(signal.SIGINT, previous)
            raise
    pool.close()
    pool.join()
    return out


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()
