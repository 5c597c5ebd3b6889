"""A bound on what one ``regionkg`` command may hold in memory while it works on the store.

Oxigraph 0.5 can run away on a damaged store: after a block fails its checksum, the index's
iterator returns the error again on every step, and a query that sorts or groups collects them
without end. Such a process cannot be stopped from inside the query; a watcher thread can
(Oxigraph releases the GIL while it evaluates) and ends the process with one line instead. Measured on the sample store with one
overwritten block: ``regionkg stats`` ran six minutes and grew to 22 GB; building the comparison
view, held to 2.5 GB by ``ulimit``, died in ``std::bad_alloc`` with a native stack dump.

The bound is ``$REGIONKG_MEMORY_LIMIT_MB`` if set, else half of the memory available when the
command starts (at least 1 GB): far above what a command on a sound store holds, low enough that
a runaway does not take the machine's memory from other work.

Examples
--------
>>> limit_mb({"REGIONKG_MEMORY_LIMIT_MB": "1500"})
1500
>>> with bounded(10**6, lambda rss_mb, limit: None):
...     "inside"
'inside'
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["ENV_LIMIT", "limit_mb", "resident_mb", "bounded"]

ENV_LIMIT = "REGIONKG_MEMORY_LIMIT_MB"
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def limit_mb(environ=None) -> int:
    """The bound in MB: ``$REGIONKG_MEMORY_LIMIT_MB``, else half the memory available now (≥ 1024).

    Raises
    ------
    ValueError
        If ``$REGIONKG_MEMORY_LIMIT_MB`` is not a whole number of MB, 64 or more.

    Examples
    --------
    >>> limit_mb({"REGIONKG_MEMORY_LIMIT_MB": "lots"})
    Traceback (most recent call last):
    ...
    ValueError: $REGIONKG_MEMORY_LIMIT_MB must be a whole number of MB, 64 or more, got 'lots'
    """
    environ = os.environ if environ is None else environ
    text = environ.get(ENV_LIMIT)
    if text is not None:
        if not text.strip().isdigit() or int(text) < 64:
            raise ValueError(f"${ENV_LIMIT} must be a whole number of MB, 64 or more, got {text!r}")
        return int(text)
    return max(1024, _available_mb() // 2)


def _available_mb() -> int:
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return 8192


def resident_mb() -> int | None:
    """This process's resident memory in MB (None where ``/proc`` cannot tell).

    Examples
    --------
    >>> resident_mb() > 0
    True
    """
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            return int(f.read().split()[1]) * _PAGE // (1024 * 1024)
    except (OSError, ValueError, IndexError):
        return None


@contextmanager
def bounded(limit: int, on_exceeded: Callable[[int, int], None], *, every: float = 0.1) -> Iterator[None]:
    """While the block runs, end the process (exit code 2) if it holds more than ``limit`` MB.

    ``on_exceeded(resident_mb, limit)`` is called first, from the watching thread, to say so;
    then the process ends at once (``os._exit``: the runaway thread cannot be unwound).

    Raises
    ------
    ValueError
        If ``limit`` is not a positive whole number of MB.
    """
    if isinstance(limit, bool) or not isinstance(limit, int) or limit <= 0:
        raise ValueError(f"limit must be a positive whole number of MB, got {limit!r}")
    if resident_mb() is None:  # no /proc: nothing to watch with
        yield
        return
    done = threading.Event()

    def watch() -> None:
        while not done.wait(every):
            rss = resident_mb()
            if rss is not None and rss > limit:
                try:
                    on_exceeded(rss, limit)
                finally:
                    for stream in (sys.stdout, sys.stderr):
                        try:
                            stream.flush()
                        except (OSError, ValueError):
                            pass
                    os._exit(2)

    watcher = threading.Thread(target=watch, name="regionkg-memory-bound", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        watcher.join()
