"""A read-only query run in a process of its own, bounded in time and memory.

:func:`run_bounded` starts ``python -m graph.sandbox`` and hands it the query on its standard input.
The child limits itself first (``resource.setrlimit``: its address space to ``memory_mb`` MB with
``RLIMIT_AS``, its CPU time with ``RLIMIT_CPU`` as a backstop should this process die), opens the
store read-only, says it is ready, checks and runs the query (:func:`graph.sparql.run_here`) and
writes the answer as one line of JSON. This process waits at most ``timeout`` seconds after the
child is ready, then kills it. Whatever the query does (runs for ever, takes all memory, crashes
the store's engine), the caller gets a result or a one-line :class:`graph.sparql.RefusedQuery` /
:class:`graph.sparql.QueryStopped`, and goes on.

The child's malloc keeps one arena (``MALLOC_ARENA_MAX=1``): every thread's own 64 MB arena would
count against ``RLIMIT_AS`` without being used. Started this way, the child needs about 200 MB of
address space before the query; :data:`ANSWER_MB` bounds what it may send back.

Examples
--------
>>> import tempfile
>>> from graph.store import Store
>>> with Store(tempfile.mkdtemp()) as kg:
...     run_bounded(kg.location, "ASK { ?s ?p ?o }", timeout=10, memory_mb=1024).boolean
True
"""

from __future__ import annotations

import json
import math
import os
import resource
import selectors
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

__all__ = ["ANSWER_MB", "STARTUP", "run_bounded"]

#: MB of answer (rows as JSON, a CONSTRUCT's triples as N-Triples) the child may send back.
ANSWER_MB = 64
#: Seconds the child may take to start (import, open the store) before the query's time begins.
STARTUP = 60.0

_MB = 1024 * 1024
_ROOT = Path(__file__).resolve().parent.parent
_EXIT_MEMORY = 3
_READY = b"ready\n"
# What a process out of address space says: Python, Rust's allocator, C++ (RocksDB), glibc.
_MEMORY_WORDS = ("MemoryError", "memory allocation of", "bad_alloc", "Cannot allocate memory", "out of memory",
                 "can't start new thread")


def run_bounded(location: str, query: str, *, limit: int = 1000, timeout: float = 10.0, memory_mb: int = 1024,
                max_chars: int | None = None, max_depth: int | None = None):
    """Run ``query`` on the store at ``location`` in a child process; its :class:`graph.sparql.QueryResult`.

    Parameters
    ----------
    location : str
        A store directory or a SPARQL server's query URL (credentials from the environment).
    query : str
    limit : int
        Rows read (:func:`graph.sparql.run_here`).
    timeout : float
        Seconds from the child's being ready (the store open) to its answer.
    memory_mb : int
        MB of address space the child may take (``RLIMIT_AS``).
    max_chars, max_depth : int, optional
        :func:`graph.sparql.check_size`'s bounds (default: its own).

    Raises
    ------
    graph.sparql.RefusedQuery
        The check's or the store's reason.
    graph.sparql.QueryStopped
        ``the query ran past N s and was stopped``, ``the query needed more than N MB and was
        stopped``, an answer larger than :data:`ANSWER_MB`, or a child that died without an answer.
    ValueError
        For a ``timeout`` or ``memory_mb`` that is not positive.
    """
    from graph.sparql import MAX_CHARS, MAX_DEPTH, QueryStopped

    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not math.isfinite(timeout) or timeout <= 0:
        raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")
    if isinstance(memory_mb, bool) or not isinstance(memory_mb, int) or memory_mb < 1:
        raise ValueError(f"memory_mb must be a whole number of MB, 1 or more, got {memory_mb!r}")
    request = json.dumps({
        "location": str(location), "query": query or "", "limit": limit, "timeout": timeout,
        "memory_mb": memory_mb, "max_chars": max_chars or MAX_CHARS, "max_depth": max_depth or MAX_DEPTH,
    }).encode("ascii")
    env = dict(os.environ, MALLOC_ARENA_MAX="1",
               PYTHONPATH=os.pathsep.join(filter(None, [str(_ROOT), os.environ.get("PYTHONPATH")])))
    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen([sys.executable, "-m", "graph.sandbox"], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, stderr=errors, env=env, close_fds=True)
        try:
            try:
                child.stdin.write(request)
                child.stdin.close()
            except BrokenPipeError:
                pass  # it died at once: its exit status says why
            outcome, answer = _wait(child, timeout)
        finally:
            if child.poll() is None:
                child.kill()
            child.wait()
            child.stdout.close()
        if outcome == "late":
            raise QueryStopped(f"the query ran past {timeout:g} s and was stopped")
        if outcome == "slow start":
            raise QueryStopped(f"the query's process did not start within {STARTUP:g} s")
        if outcome == "too big":
            raise QueryStopped(f"the query's answer is larger than {ANSWER_MB} MB: ask for fewer rows")
        errors.seek(0, os.SEEK_END)
        errors.seek(max(0, errors.tell() - 8192))
        said = errors.read().decode("utf-8", "replace")
    return _answer(child.returncode, answer, said, memory_mb)


def _wait(child, timeout: float) -> tuple[str, bytes]:
    """Read the child's output until it ends; ("done", answer), or "late", "slow start", "too big"."""
    out = bytearray()
    ready = False
    deadline = time.monotonic() + STARTUP
    with selectors.DefaultSelector() as selector:
        selector.register(child.stdout, selectors.EVENT_READ)
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return ("late" if ready else "slow start"), b""
            if not selector.select(left):
                continue
            chunk = os.read(child.stdout.fileno(), 1 << 16)
            if not chunk:
                return "done", bytes(out)
            out += chunk
            if not ready and out.startswith(_READY):
                ready = True
                del out[:len(_READY)]
                deadline = time.monotonic() + timeout
            if len(out) > ANSWER_MB * _MB:
                return "too big", b""


def _answer(status: int, answer: bytes, said: str, memory_mb: int):
    from graph.sparql import QueryResult, QueryStopped, RefusedQuery

    reply = None
    if status == 0:
        try:
            reply = json.loads(answer)
        except ValueError:
            reply = None
    if isinstance(reply, dict):
        if "refused" in reply:
            raise RefusedQuery(reply["refused"])
        if "failed" in reply:
            raise QueryStopped(reply["failed"])
        if "result" in reply:
            result = reply["result"]
            graph = result.pop("graph", None)
            if graph is not None:
                from rdflib import Graph

                from ontology import bind_prefixes

                graph = bind_prefixes(Graph()).parse(data=graph, format="nt")
            return QueryResult(**result, graph=graph)
    if status == _EXIT_MEMORY or any(word in said for word in _MEMORY_WORDS):
        raise QueryStopped(f"the query needed more than {memory_mb:,} MB and was stopped")
    if "overflowed its stack" in said:
        raise QueryStopped("the query is nested too deeply for the store's engine and was stopped")
    if status < 0:
        try:
            name = signal.Signals(-status).name
        except ValueError:
            name = f"signal {-status}"
        raise QueryStopped(f"the query's process died ({name}) without an answer; nothing else was affected")
    last = [line for line in said.splitlines() if line.strip()][-1:] or ["no answer"]
    raise QueryStopped(f"the query's process failed (exit status {status}): {last[0].strip()[:300]}")


# -- the child -----------------------------------------------------------------------------------


def _limit_self(memory_mb: int, timeout: float) -> None:
    """Bound this process: address space, and CPU time as a backstop (the parent kills it first)."""
    size = memory_mb * _MB
    resource.setrlimit(resource.RLIMIT_AS, (size, size))
    cpu = int(math.ceil(timeout + STARTUP))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))


def _exit_with_parent() -> None:
    """End this process when the one that started it is gone (nobody is waiting for the answer)."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _serve() -> None:
    request = json.loads(sys.stdin.buffer.read())
    _limit_self(request["memory_mb"], request["timeout"])
    _exit_with_parent()
    out = sys.stdout.buffer
    try:
        reply = _run(request, out)
        data = json.dumps(reply).encode("ascii") + b"\n"
    except MemoryError:
        os._exit(_EXIT_MEMORY)
    out.write(data)
    out.flush()
    os._exit(0)  # no teardown: the store's handle needs none to be read-only


def _run(request: dict, out) -> dict:
    from graph.sparql import RefusedQuery, run_here
    from graph.store import open_store

    try:
        store = open_store(request["location"], read_only=True)
    except MemoryError:
        raise
    except Exception as e:  # noqa: BLE001 - any reason the store does not open is the answer
        return {"failed": f"the query's process could not open the store: {' '.join(str(e).split())[:300]}"}
    out.write(_READY)
    out.flush()
    try:
        result = run_here(store, request["query"], limit=request["limit"], max_chars=request["max_chars"],
                          max_depth=request["max_depth"])
    except RefusedQuery as e:
        return {"refused": str(e)}
    except RecursionError:
        return {"refused": "the query is nested too deeply for the parser"}
    graph = None
    if result.graph is not None:
        graph = result.graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    return {"result": {"form": result.form, "columns": result.columns, "rows": result.rows,
                       "truncated": result.truncated, "boolean": result.boolean, "graph": graph}}


if __name__ == "__main__":
    _serve()
