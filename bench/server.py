"""Starting and measuring server processes for the benchmark: CPU time, RSS, pinning."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from facilitate import descriptors

TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# The cores this process may use, read before any pinning: a child inherits its parent's
# affinity, so once the swarm has pinned itself, its own affinity no longer says what the
# machine has.
CORES = frozenset(os.sched_getaffinity(0))


def pin(pid: int, core: int) -> bool:
    """Pin a process (0: this one) to one core when the machine has more than one."""
    if len(CORES) < 2 or core not in CORES:
        return False
    try:
        os.sched_setaffinity(pid, {core})
        return True
    except OSError:
        return False


def _process_clock(pid: int) -> int:
    """The clock id of another process's CPU time (Linux: CPUCLOCK_SCHED of a process)."""
    return ((~pid) << 3) | 2


class Process:
    """A server subprocess on loopback that stops when we do."""

    def __init__(
        self, argv: list[str], port: int, env: dict[str, str] | None = None, core: int | None = 0
    ) -> None:
        self.argv, self.port, self.env, self.core = argv, port, env, core
        self.proc: subprocess.Popen[bytes] | None = None
        self.log: Any = None  # what the server wrote to stderr, over every start
        self.starts = 0

    def output(self) -> str:
        """Everything the server has written to stderr so far."""
        if self.log is None:
            return ""
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def close(self) -> None:
        """Stop the server if it runs, and let go of its log."""
        self.stop()
        if self.log is not None:
            self.log.close()
            self.log = None

    def start(self, ready_path: str = "/healthz", timeout: float = 30) -> None:
        env = {**os.environ, **(self.env or {})}
        # stderr to a file, not a pipe: nobody reads a pipe while the server runs, and a full
        # pipe would stall a chatty server in the middle of a measurement.
        if self.log is None:
            self.log = tempfile.TemporaryFile()
        self.starts += 1
        self.proc = subprocess.Popen(
            self.argv,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=self.log,
            preexec_fn=descriptors.raise_limit,  # for bench.floor; `serve` raises its own
        )
        if self.core is not None:
            pin(self.proc.pid, self.core)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.output()[-2000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{ready_path}", timeout=1):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("server did not start")

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def cpu_seconds(self) -> float:
        """User + system CPU time the process has used so far (all its threads).

        Read from the process's CPU-time clock (nanoseconds) where Linux offers it; /proc's
        clock ticks (10 ms) are too coarse for a round of fan-out that takes 0.1 s."""
        assert self.proc is not None
        try:
            return time.clock_gettime(_process_clock(self.proc.pid))
        except OSError:
            pass
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS

    def rss_kib(self) -> int:
        assert self.proc is not None
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0


def serve_command(port: int, db: Path | str, redis: str | None = None) -> list[str]:
    """`facilitate serve` on loopback with this port and database (a file or a URL), and in
    cluster mode Redis, run by this Python."""
    return [
        sys.executable,
        "-m",
        "facilitate",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--db",
        str(db),
        *(["--redis", redis] if redis else []),
    ]


def app_server(
    port: int, db: Path | str, core: int | None = 0, redis: str | None = None
) -> Process:
    """A server for simulated phones; with a postgresql:// `db` and `redis`, a cluster node."""
    # Every simulated phone comes from 127.0.0.1: lift the per-address limits on connections
    # and on new phones (a real hall behind one router gets 400 at once, then 10 a second).
    return Process(
        serve_command(port, db, redis),
        port,
        core=core,
        env={"FACILITATE_MAX_CONNECTIONS_PER_ADDRESS": "0", "FACILITATE_NEW_PHONES_BURST": "0"},
    )


def api(port: int, method: str, path: str, body: Any = None, key: str | None = None) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=data, headers=headers, method=method
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def api_get(port: int, path: str) -> bytes:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60) as response:
        return response.read()  # type: ignore[no-any-return]
