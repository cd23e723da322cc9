"""How many connections the server can hold at once: the process's limit on open files.

Every connection is a file descriptor: each phone's websocket, each page load, and each
half-open connection a misbehaving client leaves. Many systems start a process with a soft limit
of 1,024 (macOS: 256) and a hard limit far above it, and a process may raise its own soft limit
up to the hard one. `facilitate serve` does that at start, and says so when what it got still
leaves room for few phones: raising the hard limit takes the administrator (see `advice`).
"""

from __future__ import annotations

from dataclasses import dataclass

RESERVED = 64  # for the server itself: the database and its journal, the listening socket, the
# event loop's own descriptors (a server with no one connected holds about 20)
PER_PHONE = 2  # a websocket each, and as many again for pages loading while the hall joins
LOW = 4096  # below this, `facilitate serve` says how many phones the limit allows
CEILING = 1 << 16  # what to ask for when the hard limit is "unlimited" (macOS refuses that)


@dataclass(frozen=True)
class Limit:
    """The open-file limits in force: `soft` is what the process may use."""

    soft: int
    hard: int | None  # None: no hard limit

    @property
    def phones(self) -> int:
        """About how many phones can be connected at once under the soft limit."""
        return max(0, (self.soft - RESERVED) // PER_PHONE)


def raise_limit() -> Limit | None:
    """Raise the soft limit on open files as far as the hard limit allows; the limits after.

    None where the platform has no such limit (Windows). Safe to call more than once, and in a
    child process before it starts (`preexec_fn`)."""
    try:
        import resource
    except ImportError:  # Windows
        return None
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    unlimited = hard == resource.RLIM_INFINITY
    wanted = CEILING if unlimited else hard
    while wanted > soft:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            break
        except (ValueError, OSError):  # over the system's own per-process maximum
            wanted //= 2
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    return Limit(soft, None if hard == resource.RLIM_INFINITY else hard)


def advice(limit: Limit | None) -> str | None:
    """Lines for the start-up output when the limit leaves room for few phones, else None."""
    if limit is None or limit.soft >= LOW:
        return None
    return (
        f"Open files: this server may hold {limit.soft:,} at once, enough for about "
        f"{limit.phones:,} phones.\nTo allow more, raise the hard limit for the user or "
        "service that runs it (nofile in /etc/security/limits.conf, LimitNOFILE= in a systemd "
        "unit, docker run --ulimit nofile=65536) and start it again."
    )
