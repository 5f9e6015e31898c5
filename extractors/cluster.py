"""Extraction fanned out on a Dask cluster (cụm máy): the files are read and
extracted by the workers of a ``dask.distributed`` scheduler, and the
records come back in the order of the files, so that the output is the
same as :func:`~.pipeline.extract_files` in one process.

The workers read the files by their paths: on a cluster of several
machines the folder must be where every worker sees it at the same path (a
shared file system). A path is sent as an absolute path and its record
names it as it was given. Each file is extracted inside the Dask worker
process (:func:`~.pipeline.extract_file`), under Dask's own memory limit
(``--memory-limit`` of ``dask worker``): a worker that dies on a file is
reported as that file's failure. cancu's per-file time limit is not
enforced there.

:func:`extract_on_dask` is the one entry point; ``scheduler`` is the address
of a running scheduler (``tcp://host:8786``) or ``"local"`` for a cluster of
worker processes on this machine, started and stopped by the call.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace

from .errors import SchedulerError
from .models import DocumentRecord
from .pipeline import Failure, extract_file

#: seconds to wait for a scheduler to answer before giving up
CONNECT_TIMEOUT = 20


def _extract_on_worker(given: str, path: str, max_bytes: int | None) -> DocumentRecord | Failure:
    """One file, on a worker: its record or failure, naming it as given."""
    res = extract_file(path, max_bytes=max_bytes)
    if isinstance(res, Failure):
        return replace(res, source=given)
    res.source = given
    return res


def _client(scheduler: str, workers: int):
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise SchedulerError(
            "reading on a Dask cluster needs dask.distributed (pip install 'cancu[dask]'); or read here with jobs",
        ) from None
    import logging

    if scheduler == "local":
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
        return Client(cluster), cluster
    try:
        return Client(scheduler, timeout=CONNECT_TIMEOUT), None
    except (OSError, TimeoutError, ValueError) as e:
        why = str(e).split("\n")[0] or type(e).__name__
        raise SchedulerError(f"cannot reach the Dask scheduler {scheduler}: {why}; or read here with jobs") from None


def extract_on_dask(
    files: Iterable[str],
    scheduler: str,
    progress: Callable[[str, int, int], None] | None = None,
    *,
    max_bytes: int | None = None,
    workers: int = 2,
) -> Iterator[DocumentRecord | Failure]:
    """Extract ``files`` on the Dask cluster of ``scheduler`` (an address, or
    ``"local"``: ``workers`` processes on this machine), yielding each
    file's record or :class:`~.pipeline.Failure` in the order of ``files``.
    No more than a few files per worker are in flight at once, so the
    records are not held on the cluster; ``progress(file, done, total)``
    is called once each result is taken. Raises
    :class:`~.errors.SchedulerError` when the scheduler cannot be reached.
    """
    files = [os.fspath(f) for f in files]
    if not files:
        return
    client, cluster = _client(scheduler, workers)
    try:
        threads = max(1, sum(client.nthreads().values()))
        window = 4 * threads + 4
        pending: deque = deque()
        given = 0

        def submit() -> None:
            nonlocal given
            while given < len(files) and len(pending) < window:
                f = files[given]
                pending.append(
                    (f, client.submit(_extract_on_worker, f, os.path.abspath(f), max_bytes, pure=False, retries=0))
                )
                given += 1

        submit()
        while pending:
            f, fut = pending.popleft()
            try:
                res = fut.result()
            except Exception as e:  # the worker died on it (KilledWorker) or the task failed
                res = Failure(f, f"the Dask worker reading it failed ({type(e).__name__}: {str(e)[:200]})")
            fut.release()
            submit()
            done = given - len(pending)
            yield res
            if progress:
                progress(f, done, len(files))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
