"""Real PostgreSQL and Redis servers for the tests and `make bench-cluster`: started on free
loopback ports, stopped after.

Debian's `postgresql` and `redis-server` packages (`make servers`) provide the binaries. Nothing
here touches a system service or its files: each server gets a fresh directory of its own, listens
on 127.0.0.1 only, and is gone, directory and all, after `stop()`.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import IO

import psycopg

START_TIMEOUT = 30.0  # seconds for a server to accept connections
STOP_TIMEOUT = 10.0  # seconds for a clean shutdown before it is killed
PG_USER = "facilitate"  # the superuser role initdb creates, trusted on loopback
PG_DATABASE = "facilitate"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _read(path: Path) -> str:
    try:
        return path.read_text(errors="replace")
    except OSError:
        return ""


def _end(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    """Send `sig`, wait for the process to exit, and SIGKILL it when it takes too long."""
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _in_use(log: str) -> bool:
    """Did the server exit because another process took its port in the meantime?"""
    return "Address already in use" in log


# -- PostgreSQL -----------------------------------------------------------------------------


def postgres_bindir() -> Path:
    """The directory with initdb and postgres: pg_config's, else Debian's newest, else PATH's."""
    candidates: list[Path] = []
    if pg_config := shutil.which("pg_config"):
        # Debian's pg_config comes with libpq-dev and names a bindir even without the server.
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        if out.returncode == 0 and out.stdout.strip():
            candidates.append(Path(out.stdout.strip()))

    def version(path: str) -> tuple[int, ...]:
        name = Path(path).parent.name
        return tuple(int(part) for part in name.split(".") if part.isdigit())

    debian = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=version, reverse=True)
    candidates += [Path(path) for path in debian]
    if initdb := shutil.which("initdb"):
        candidates.append(Path(initdb).resolve().parent)
    for bindir in candidates:
        if (bindir / "initdb").is_file() and (bindir / "postgres").is_file():
            return bindir
    raise RuntimeError("PostgreSQL's initdb and postgres were not found: run `make servers`")


def _server_user() -> str | None:
    """Who runs initdb and postgres: this process, or `postgres` when this is root.

    Both refuse to run as root. Debian's postgresql package creates the `postgres` user.
    """
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        raise RuntimeError(
            "initdb refuses to run as root and there is no `postgres` user to run it as: "
            "install Debian's postgresql (`make servers`)"
        ) from None
    return "postgres"


class PostgresServer:
    """A throwaway PostgreSQL cluster on 127.0.0.1, with the role and database `facilitate`.

    Authentication is `trust`: anyone on this machine who can reach the port is the superuser,
    which is what a test server wants and nothing else should.
    """

    def __init__(self, log_dir: Path, durable: bool = False) -> None:
        self.durable = durable  # fsync on: a benchmark's "durable" inputs must be on disk
        self.bindir = postgres_bindir()
        self.user = _server_user()
        # Data and sockets go in a directory of their own that the server's user owns. As root,
        # that user can't enter pytest's temp dirs (0700 root), so it lives in the system temp
        # dir; the log (written through a descriptor this process opens) stays in `log_dir`.
        self.dir = Path(tempfile.mkdtemp(prefix="facilitate-postgres-"))
        if self.user is not None:
            shutil.chown(self.dir, self.user, self.user)
        self.data = self.dir / "data"
        self.log_path = log_dir / f"postgres-{self.dir.name}.log"
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        """postgresql://facilitate@127.0.0.1:PORT/facilitate"""
        return self.url_for(PG_DATABASE)

    def url_for(self, database: str) -> str:
        """The URL of another database on this server."""
        return f"postgresql://{PG_USER}@127.0.0.1:{self.port}/{database}"

    def log(self) -> str:
        """What initdb and the server have written so far."""
        return _read(self.log_path)

    def _run(self, argv: list[str]) -> subprocess.Popen[bytes]:
        assert self._log is not None
        return subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            cwd=self.dir,  # a directory the server's user may enter (not root's home)
            user=self.user,
            group=self.user,
            extra_groups=[] if self.user else None,
        )

    def start(self) -> None:
        """initdb, then the server; returns once `facilitate` accepts connections."""
        self._log = self.log_path.open("ab")
        initdb = self._run(
            [
                str(self.bindir / "initdb"),
                f"--pgdata={self.data}",
                f"--username={PG_USER}",
                "--auth=trust",
                "--encoding=UTF8",
                "--no-locale",
                # Nothing in a test outlives the machine, so there is no point waiting for the
                # disk: this halves initdb's time.
                "--no-sync",
            ]
        )
        if initdb.wait(START_TIMEOUT) != 0:
            raise RuntimeError(f"initdb failed ({initdb.returncode}):\n{self.log()}")
        for _ in range(3):  # another process may take the free port before the server binds it
            self.port = free_port()
            self.process = self._run(
                [
                    str(self.bindir / "postgres"),
                    "-D",
                    str(self.data),
                    "-c",
                    "listen_addresses=127.0.0.1",
                    "-c",
                    f"port={self.port}",
                    "-c",
                    f"unix_socket_directories={self.dir}",
                    # fsync only matters when the machine itself goes down; a server killed
                    # mid-test keeps what it committed either way. The benchmark keeps it on.
                    "-c",
                    f"fsync={'on' if self.durable else 'off'}",
                    "-c",
                    "max_connections=300",
                ]
            )
            if self._wait_ready():
                self._create_database()
                return
            if not _in_use(self.log()):
                break
        log = self.log()
        self.stop()
        raise RuntimeError(f"PostgreSQL did not start within {START_TIMEOUT:.0f} s:\n{log}")

    def _wait_ready(self) -> bool:
        assert self.process is not None
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                with psycopg.connect(self.url_for("postgres"), connect_timeout=2):
                    return True
            except psycopg.OperationalError:
                time.sleep(0.05)
        return False

    def _create_database(self) -> None:
        with psycopg.connect(self.url_for("postgres"), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {PG_DATABASE}")

    def stop(self) -> None:
        """Fast shutdown (SIGINT), SIGKILL if it hangs, then remove the data directory."""
        if self.process is not None:
            _end(self.process, signal.SIGINT)
        if self._log is not None:
            self._log.close()
            self._log = None
        shutil.rmtree(self.dir, ignore_errors=True)


def start_postgres(tmpdir: Path, durable: bool = False) -> PostgresServer:
    """A running PostgreSQL server; its log goes in `tmpdir`. Call `.stop()` when done.
    `durable`: commits wait for the disk, as in production (the benchmark's)."""
    server = PostgresServer(tmpdir, durable)
    try:
        server.start()
    except BaseException:
        server.stop()
        raise
    return server


# -- Redis ----------------------------------------------------------------------------------


class RedisServer:
    """redis-server on 127.0.0.1 that keeps nothing on disk; can be stopped and started again.

    It keeps its port across a stop and a start, so clients holding `url` see Redis go away
    and come back, empty, as after a crash.
    """

    def __init__(self, tmpdir: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server was not found: run `make servers`")
        self.binary = binary
        self.dir = tmpdir
        self.log_path = tmpdir / "redis.log"
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """redis://127.0.0.1:PORT/0"""
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log(self) -> str:
        """What the server has written, over every start."""
        return _read(self.log_path)

    def _spawn(self) -> None:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    self.binary,
                    "--port",
                    str(self.port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--daemonize",
                    "no",
                    "--dir",
                    str(self.dir),
                ],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def start(self, *, new_port: bool = False) -> None:
        """Start the server (again, on the same port) and return once it answers PING."""
        if self.running:
            return
        self._spawn()
        if self._wait_ready():
            return
        # Only a first start may move: a restart keeps its port, which clients know.
        if new_port and _in_use(self.log()):
            self.port = free_port()
            self._spawn()
            if self._wait_ready():
                return
        log = self.log()
        self.stop()
        raise RuntimeError(f"redis-server did not start within {START_TIMEOUT:.0f} s:\n{log}")

    def _wait_ready(self) -> bool:
        assert self.process is not None
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=2) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return True
            except OSError:
                pass
            time.sleep(0.02)
        return False

    def stop(self) -> None:
        """SIGTERM (Redis shuts down, saving nothing), SIGKILL if it hangs."""
        if self.process is not None:
            _end(self.process, signal.SIGTERM)


def start_redis(tmpdir: Path) -> RedisServer:
    """A running Redis server working in `tmpdir`. Call `.stop()` when done."""
    server = RedisServer(tmpdir)
    server.start(new_port=True)
    return server
