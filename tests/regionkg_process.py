"""Run the installed ``regionkg`` console script in its own process, as a user does (tests' helper).

Examples
--------
>>> proc = regionkg("--help")
>>> proc.returncode, "ingest" in proc.stdout
(0, True)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

__all__ = ["executable", "regionkg", "start", "error_lines", "data_files"]


def executable() -> str:
    """The ``regionkg`` script of this Python environment."""
    exe = shutil.which("regionkg", path=os.path.dirname(sys.executable)) or shutil.which("regionkg")
    assert exe, "the regionkg console script is not installed"
    return exe


def _env(extra: dict | None) -> dict:
    env = dict(os.environ)
    env.pop("REGIONKG_STORE", None)
    env.update(extra or {})
    return env


def regionkg(*args, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run ``regionkg ARGS`` to the end; its exit code, stdout and stderr as text."""
    return subprocess.run([executable(), *(str(a) for a in args)], capture_output=True, text=True,
                          timeout=timeout, env=_env(env))


def start(*args, env: dict | None = None, **kwargs) -> subprocess.Popen:
    """Start ``regionkg ARGS`` and return at once (stdout and stderr piped, as text)."""
    return subprocess.Popen([executable(), *(str(a) for a in args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=_env(env), **kwargs)


def error_lines(proc: subprocess.CompletedProcess) -> list[str]:
    """The non-empty lines a process wrote to stderr."""
    return [line for line in proc.stderr.splitlines() if line.strip()]


def data_files(path) -> dict[str, int]:
    """File name → size of a store directory's RocksDB files (tables, logs, manifests, options)."""
    return {p.name: p.stat().st_size for p in sorted(os.scandir(path), key=lambda e: e.name)
            if p.is_file() and not p.name.startswith("LOG")}
