"""What operators ask of a running server: /healthz (can it reach its database, and in cluster
mode Redis) and /metrics (what it is doing, in Prometheus' text format, version 0.0.4).

/healthz answers anyone (a load balancer, a script waiting for the server to start) and names
only what is down, never where it is. /metrics shows counts only (no codes, no text, no
addresses), but operators usually keep it internal: when the admin token is set
(FACILITATE_ADMIN_TOKEN), it needs `Authorization: Bearer <admin token>` (401 otherwise); without
one (a hall's laptop) anyone who reaches the server may read it (docs/security.md).

The exposition is written by hand rather than with prometheus_client: it is a few lines of text
per metric, read from counters the server keeps anyway, and the library would add a dependency
and a process-wide registry to an app that tests build afresh many times per process.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import math
from collections.abc import Iterable
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from facilitate.hub import ROLES
from facilitate.meetings import Meetings
from facilitate.web.api import _bearer, problem
from facilitate.web.context import state

logger = logging.getLogger(__name__)
CHECK_SECONDS = 2.0  # a database or Redis that takes longer than this to answer counts as down
OK, DOWN, OFF = "ok", "down", "off"  # OFF: not used by this server (Redis outside cluster mode)
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
NO_STORE = {"cache-control": "no-store"}


# -- /healthz --------------------------------------------------------------------------------


async def health(request: Request) -> Response:
    """GET /healthz: 200 "ok" when the database (and Redis, in cluster mode) answers; else a
    line per service ("database: ok\nredis: down\n"). `?format=json` or `Accept:
    application/json` gives `{"database": "ok", "redis": "ok"|"down"|"off"}` either way.

    Only a database that does not answer makes it 503: without Redis a server still serves the
    meetings it owns (docs/cluster.md), so a load balancer must not take every server out when
    Redis goes away. `?strict` (for monitoring) makes any service down a 503."""
    meetings = state(request)["meetings"]
    database, redis = await asyncio.gather(_database(meetings), _redis(meetings))
    found = {"database": database, "redis": redis}
    healthy = DOWN not in found.values()
    strict = "strict" in request.query_params
    status = 503 if database == DOWN or (strict and not healthy) else 200
    if request.query_params.get("format") == "json" or "application/json" in request.headers.get(
        "accept", ""
    ):
        return JSONResponse(found, status_code=status, headers=NO_STORE)
    text = OK if healthy else "".join(f"{name}: {said}\n" for name, said in found.items())
    return Response(text, status_code=status, media_type="text/plain", headers=NO_STORE)


async def _database(meetings: Meetings) -> str:
    """A real round trip through the writer: a stuck writer thread is as down as a lost
    database, since every write waits for it."""
    try:
        async with asyncio.timeout(CHECK_SECONDS):
            await meetings.writer.run(lambda db: db.ping())
    except Exception as exc:  # whatever the driver raises, or TimeoutError
        logger.warning("/healthz: the database did not answer: %r", exc)
        return DOWN
    return OK


async def _redis(meetings: Meetings) -> str:
    relay = meetings.cluster.relay if meetings.cluster is not None else None
    if relay is None:
        return OFF
    # Both: `up` says the subscriber is connected (events and answers arrive), the ping that
    # the publishing connection gets through now.
    answered = False
    if relay.up:
        try:
            async with asyncio.timeout(CHECK_SECONDS):
                answered = await relay.ping()
        except TimeoutError:
            pass
    if not answered:
        logger.warning("/healthz: Redis did not answer")
    return OK if answered else DOWN


# -- /metrics --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Metric:
    """One metric family: its samples as (labels, value)."""

    name: str
    kind: str  # "counter" or "gauge"
    help: str
    samples: tuple[tuple[dict[str, str], float], ...]


def counter(name: str, help: str, value: float) -> Metric:
    return Metric(name, "counter", help, (({}, value),))


def gauge(name: str, help: str, value: float) -> Metric:
    return Metric(name, "gauge", help, (({}, value),))


async def metrics(request: Request) -> Response:
    """GET /metrics: the Prometheus text exposition of `figures(meetings)`."""
    token = state(request)["settings"].admin_token
    if token:
        sent = _bearer(request)
        # As for creating meetings: bytes, in constant time (docs/security.md).
        if sent is None or not hmac.compare_digest(sent.encode("latin-1"), token.encode()):
            return problem(
                401,
                "/metrics on this server needs the admin token (Authorization: Bearer …)",
                headers={"www-authenticate": "Bearer"},
            )
    text = exposition(figures(state(request)["meetings"]))
    return Response(text, media_type=CONTENT_TYPE, headers=NO_STORE)


def figures(meetings: Meetings) -> list[Metric]:
    """Everything /metrics reports, read from the counters the server keeps."""
    live = list(meetings.live.values())
    connections = {role: sum(len(m.room.outlets[role]) for m in live) for role in ROLES}
    node = meetings.cluster
    owned = len(live) if node is None else sum(m.fence is not None for m in live)
    writer = meetings.writer
    found = [
        Metric(
            "facilitate_connections",
            "gauge",
            "Open websocket connections to this server, by role.",
            tuple(({"role": role}, connections[role]) for role in ROLES),
        ),
        gauge("facilitate_meetings_in_memory", "Meetings loaded in this server.", len(live)),
        gauge(
            "facilitate_meetings_owned",
            "Meetings this server decides for (all in memory, outside cluster mode).",
            owned,
        ),
        counter(
            "facilitate_commands_total",
            "Commands taken from clients (relayed ones included); rate() gives commands/s.",
            meetings.commands,
        ),
        counter(
            "facilitate_commits_total",
            "Transactions the database writer committed: writes, reads, lease renewals, pings.",
            writer.commits,
        ),
        counter(
            "facilitate_commit_seconds_total",
            "Seconds the database writer spent in transactions.",
            writer.commit_seconds,
        ),
        gauge(
            "facilitate_last_commit_seconds",
            "How long the writer's last transaction took.",
            writer.last_commit,
        ),
        counter(
            "facilitate_database_reconnects_total",
            "Times the writer connected to the database again after losing its connection.",
            writer.db.reconnects,
        ),
    ]
    if node is None:
        return found
    said = node.figures
    found += [
        counter(
            "facilitate_relayed_commands_total",
            "Commands sent over Redis to the server that owns their meeting.",
            said.relayed,
        ),
        counter(
            "facilitate_relay_answered_total",
            "Relayed commands this server answered as their meeting's owner.",
            said.answered,
        ),
        counter(
            "facilitate_relay_resent_total",
            "Relayed commands sent again after no answer came.",
            said.resent,
        ),
        counter(
            "facilitate_takeovers_total",
            "Meetings taken over from a server that stopped renewing its lease.",
            said.takeovers,
        ),
        counter(
            "facilitate_meetings_lost_total",
            "Meetings this server lost to another.",
            said.lost,
        ),
        counter(
            "facilitate_catch_ups_total",
            "Copies of meetings brought up to date from the database log.",
            said.catch_ups,
        ),
        gauge(
            "facilitate_relay_lag_seconds",
            "Seconds from an owner's commit to this server's copy having it (the last seen).",
            said.relay_lag,
        ),
    ]
    if node.relay is not None:
        found += [
            gauge(
                "facilitate_redis_up",
                "1 while the Redis subscriber is connected, else 0.",
                int(node.relay.up),
            ),
            counter(
                "facilitate_redis_published_total",
                "Messages published to Redis.",
                node.relay.published,
            ),
            counter(
                "facilitate_redis_dropped_total",
                "Messages dropped because Redis could not be reached.",
                node.relay.dropped,
            ),
        ]
    return found


def exposition(found: Iterable[Metric]) -> str:
    """Metrics in the text exposition format: HELP and TYPE, then a line per sample."""
    lines: list[str] = []
    for metric in found:
        lines.append(f"# HELP {metric.name} {_escape_help(metric.help)}")
        lines.append(f"# TYPE {metric.name} {metric.kind}")
        for labels, value in metric.samples:
            pairs = ",".join(f'{key}="{_escape_label(v)}"' for key, v in labels.items())
            name = f"{metric.name}{{{pairs}}}" if pairs else metric.name
            lines.append(f"{name} {_number(value)}")
    return "\n".join(lines) + "\n"


def _escape_help(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def _escape_label(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _number(value: float) -> str:
    if isinstance(value, int):
        return str(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return repr(value)
