"""A private Virtuoso open-source server for the tests that need a real SPARQL 1.1 endpoint.

``VirtuosoServer(workdir)`` writes its own ``virtuoso.ini`` in ``workdir`` (database, transaction log
and error log there too), starts Debian's ``virtuoso-t`` in the foreground as a child process on two
free ports bound to 127.0.0.1 only, waits until ``/sparql`` answers, then, through Debian's SQL
client ``isql-vt``, gives ``dba`` a random password and creates a user with the ``SPARQL_UPDATE``
role. It is the stock HTTP set-up that a user of a stock Virtuoso would point us at:

    query_url   http://127.0.0.1:PORT/sparql        anonymous, read-only (an update is refused: HTTP 500, SR186)
    update_url  http://127.0.0.1:PORT/sparql-auth   HTTP Digest (realm "SPARQL", MD5, qop=auth): answers
                                                    queries and updates, run as ``user``

``stop()`` (also on leaving the ``with`` block, at interpreter exit, and, through PR_SET_PDEATHSIG,
when the process that started it dies) terminates the server and waits for it.

The binaries come from the Debian package ``virtuoso-opensource`` (scripts/ensure-virtuoso installs
it); ``VirtuosoUnavailable`` says why when they are missing, and the ``virtuoso`` fixture in
conftest.py turns that into a skip. Any other failure (the server does not come up, the user cannot
be created) is an error, with the tail of the server's log.
"""

from __future__ import annotations

import atexit
import ctypes
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

HOST = "127.0.0.1"
INSTALL_HINT = "run scripts/ensure-virtuoso as root (it installs the Debian package virtuoso-opensource)"


class VirtuosoUnavailable(RuntimeError):
    """The Virtuoso binaries are not installed here: the tests that need them are to be skipped."""


class VirtuosoError(RuntimeError):
    """The server is installed but did not start, or could not be set up."""


def find_binaries() -> tuple[str, str]:
    """The server and its SQL client: Debian's /usr/bin/virtuoso-t and /usr/bin/isql-vt.

    (Upstream builds call the client ``isql``, a name that on Debian belongs to unixODBC's client,
    so only ``isql-vt`` is looked for.)
    """
    server = shutil.which("virtuoso-t") or ("/usr/bin/virtuoso-t" if os.access("/usr/bin/virtuoso-t", os.X_OK) else None)
    client = shutil.which("isql-vt") or ("/usr/bin/isql-vt" if os.access("/usr/bin/isql-vt", os.X_OK) else None)
    missing = [name for name, path in (("virtuoso-t", server), ("isql-vt", client)) if path is None]
    if missing:
        raise VirtuosoUnavailable(
            f"virtuoso-opensource is not installed ({' and '.join(missing)} not found): {INSTALL_HINT}"
        )
    return server, client


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


INI_TEMPLATE = """\
; Written by tests/virtuoso.py: a throw-away test instance, loopback only, small buffers.
[Database]
DatabaseFile       = {dir}/virtuoso.db
ErrorLogFile       = {dir}/virtuoso.log
LockFile           = {dir}/virtuoso.lck
TransactionFile    = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {dir}/virtuoso-temp.db
TransactionFile    = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort           = {host}:{sql_port}
DisableUnixSocket    = 1
DisableTcpSocket     = 0
MaxClientConnections = 10
CheckpointInterval   = 60
CaseMode             = 2
; 8 KiB pages: about 80 MB of buffers (the package's own default; it suggests 170000 for 2 GB)
NumberOfBuffers      = {buffers}
MaxDirtyBuffers      = {dirty_buffers}
MaxQueryMem          = 256M
ThreadsPerQuery      = 2
AsyncQueueMaxThreads = 4
DirsAllowed          = .

[HTTPServer]
ServerPort           = {host}:{http_port}
ServerRoot           = {dir}/vsp
MaxClientConnections = 5
ServerThreads        = 5
Charset              = UTF-8
EnabledGzipContent   = 0

[SPARQL]
; the package's defaults: results are cut at 10000 rows, a query may run 60 s
ResultSetMaxRows           = {max_rows}
MaxQueryExecutionTime      = 60
MaxQueryCostEstimationTime = 400
"""


def _die_with_parent() -> None:  # runs in the child between fork and exec
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


class VirtuosoServer:
    """A Virtuoso server of our own in ``workdir``; use as a context manager, or call start()/stop()."""

    def __init__(
        self,
        workdir: str | os.PathLike,
        *,
        user: str = "regionkg",
        password: str | None = None,
        startup_timeout: float = 90.0,
        number_of_buffers: int = 10000,
        max_dirty_buffers: int = 6000,
        result_set_max_rows: int = 10000,
    ) -> None:
        self.workdir = Path(workdir).resolve()
        self.user = user
        self.password = password or secrets.token_hex(12)
        self.dba_password = secrets.token_hex(12)
        self.startup_timeout = startup_timeout
        self.number_of_buffers = number_of_buffers
        self.max_dirty_buffers = max_dirty_buffers
        self.result_set_max_rows = result_set_max_rows
        self.server_bin, self.isql_bin = find_binaries()
        self.host = HOST
        self.sql_port = 0
        self.http_port = 0
        self.process: subprocess.Popen | None = None
        self.startup_seconds: float | None = None
        self._dba_password_now = "dba"  # a new database's

    # -- addresses ----------------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.http_port}"

    @property
    def query_url(self) -> str:
        return f"{self.base_url}/sparql"

    @property
    def update_url(self) -> str:
        return f"{self.base_url}/sparql-auth"

    @property
    def ini_path(self) -> Path:
        return self.workdir / "virtuoso.ini"

    @property
    def log_path(self) -> Path:
        return self.workdir / "virtuoso.log"

    # -- life cycle ---------------------------------------------------------------------------------
    def __enter__(self) -> "VirtuosoServer":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> "VirtuosoServer":
        if self.process is not None:
            raise VirtuosoError("already started")
        self.workdir.mkdir(parents=True, exist_ok=True)
        if (self.workdir / "virtuoso.db").exists():
            raise VirtuosoError(f"{self.workdir} holds a database already: give each server a new directory")
        (self.workdir / "vsp").mkdir(exist_ok=True)
        began = time.monotonic()
        for attempt in range(3):  # a free port may be taken between choosing and binding it
            self.sql_port, self.http_port = free_port(), free_port()
            while self.http_port == self.sql_port:
                self.http_port = free_port()
            self._write_ini()
            self._launch()
            try:
                self._wait_until_answering()
                break
            except VirtuosoError as error:
                self._terminate()
                if attempt == 2 or "address already in use" not in self.log_tail().lower():
                    raise error
        self.startup_seconds = time.monotonic() - began
        try:
            self._set_up_users()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Terminate the server (SIGTERM: Virtuoso shuts down cleanly in a second or two) and wait."""
        self._terminate()
        atexit.unregister(self.stop)

    def _terminate(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)

    def _write_ini(self) -> None:
        self.ini_path.write_text(
            INI_TEMPLATE.format(
                dir=self.workdir,
                host=self.host,
                sql_port=self.sql_port,
                http_port=self.http_port,
                buffers=self.number_of_buffers,
                dirty_buffers=self.max_dirty_buffers,
                max_rows=self.result_set_max_rows,
            ),
            encoding="utf-8",
        )

    def _launch(self) -> None:
        # The error log (virtuoso.log) is the record; in the foreground the server also prints it.
        stdout = open(self.workdir / "virtuoso.stdout", "ab")
        try:
            self.process = subprocess.Popen(
                [self.server_bin, "+foreground", "+configfile", str(self.ini_path)],
                cwd=self.workdir,
                stdin=subprocess.DEVNULL,
                stdout=stdout,
                stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent,
            )
        finally:
            stdout.close()
        atexit.register(self.stop)

    def _wait_until_answering(self) -> None:
        url = self.query_url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
        deadline = time.monotonic() + self.startup_timeout
        last = "no answer yet"
        while time.monotonic() < deadline:
            code = self.process.poll()
            if code is not None:
                raise VirtuosoError(f"virtuoso-t exited with status {code} while starting\n{self.log_tail()}")
            try:
                request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
                with urllib.request.urlopen(request, timeout=5) as response:
                    if response.status == 200:
                        return
                    last = f"HTTP {response.status}"
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as error:
                last = str(error)
            time.sleep(0.2)
        raise VirtuosoError(
            f"{self.query_url} did not answer within {self.startup_timeout:.0f} s ({last})\n{self.log_tail()}"
        )

    def _set_up_users(self) -> None:
        for name, value in (("user", self.user), ("password", self.password), ("dba password", self.dba_password)):
            if "'" in value or '"' in value or ";" in value:
                raise VirtuosoError(f"the {name} may not contain quotes or semicolons: {value!r}")
        self.isql(f"USER_SET_PASSWORD('dba', '{self.dba_password}');")
        self._dba_password_now = self.dba_password
        self.isql(
            f"DB.DBA.USER_CREATE('{self.user}', '{self.password}');\n"
            f'GRANT SPARQL_UPDATE TO "{self.user}";\n'
        )

    # -- tools --------------------------------------------------------------------------------------
    def isql(self, sql: str, timeout: float = 60) -> str:
        """Run SQL statements (each ending in ';') as dba through isql-vt; the output, or VirtuosoError."""
        if self.process is None:
            raise VirtuosoError("the server is not running")
        result = subprocess.run(
            [self.isql_bin, f"{self.host}:{self.sql_port}", "dba", self._dba_password_now],
            input=sql + "\nEXIT;\n",
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        output = result.stdout + result.stderr
        if result.returncode != 0 or "*** Error" in output:
            raise VirtuosoError(f"isql-vt failed (status {result.returncode}):\n{output.strip()}")
        return output

    def log_tail(self, lines: int = 30) -> str:
        """The last lines the server printed (in the foreground it prints its error log, and before
        opening the log, its complaints about the ini file)."""
        for path in (self.workdir / "virtuoso.stdout", self.log_path):
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            if text.strip():
                return f"--- last lines of {path} ---\n" + "\n".join(text.splitlines()[-lines:])
        return f"(virtuoso-t printed nothing in {self.workdir})"

    def __repr__(self) -> str:
        state = "running" if self.process is not None and self.process.poll() is None else "stopped"
        return f"<VirtuosoServer {state} {self.base_url} in {self.workdir}>"
