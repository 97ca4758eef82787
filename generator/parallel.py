"""Many files on all cores, with a progress bar: shared by build and audit."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

from tqdm import tqdm

T = TypeVar("T")


def run_all(function: Callable[[Any], T], jobs: list[Any], desc: str, workers: int | None = None,
            progress: bool | None = None, done: Iterable[T] = ()) -> list[T]:
    """``function`` over ``jobs`` in order; ``done`` are results known beforehand."""
    results = list(done)
    workers = workers or os.cpu_count() or 1
    # disable=None: a bar on a terminal, none in logs and pipes.
    bar = tqdm(total=len(jobs) + len(results), unit="份", desc=desc,
               disable=None if progress is None else not progress)
    bar.update(len(results))
    with bar:
        if workers == 1 or len(jobs) < 4:
            for job in jobs:
                results.append(function(job))
                bar.update()
        else:
            # spawn on every system: the way Windows starts workers, tested everywhere.
            with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
                for result in pool.map(function, jobs, chunksize=max(1, len(jobs) // (workers * 16))):
                    results.append(result)
                    bar.update()
    return results
