"""The JSON API: create a meeting, fetch its record and minutes."""

from __future__ import annotations

import hmac
import json
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from facilitate import export as exports, plans, store
from facilitate.codec import encode
from facilitate.core import record as records
from facilitate.core.events import Command
from facilitate.core.plan import PlanError, plan_from_dict
from facilitate.meetings import Live
from facilitate.web import strings
from facilitate.web.context import address, base_url, find_meeting, join_urls, state
from facilitate.web.idempotency import MAX_KEY

MAX_BODY = 256 * 1024
# An agenda nests six deep (plan, activities, activity, options, option, texts by language).
# Deeper bodies are refused before anything walks them: "[" * 100000 was a RecursionError.
MAX_DEPTH = 20
_DEEP = f"the JSON is nested too deeply: at most {MAX_DEPTH} levels of objects and lists"


def problem(
    status: int, message: str, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status, headers=headers)


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


async def _json_body(request: Request) -> Any:
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > MAX_BODY:
        raise _Refused(problem(413, f"the body is larger than {MAX_BODY // 1024} KiB"))
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise _Refused(problem(413, f"the body is larger than {MAX_BODY // 1024} KiB"))
    try:
        data = json.loads(body)
    except RecursionError:
        raise _Refused(problem(400, _DEEP)) from None
    except (ValueError, UnicodeDecodeError):
        raise _Refused(problem(400, 'the body must be JSON, e.g. {"plan": "folkemote"}')) from None
    if _deeper_than(data, MAX_DEPTH):
        raise _Refused(problem(400, _DEEP))
    return data


def _deeper_than(value: Any, limit: int) -> bool:
    """True when objects and lists nest more than `limit` levels (walked without recursion)."""
    level: list[Any] = [value]
    for _ in range(limit):
        level = [
            child
            for item in level
            if isinstance(item, dict | list)
            for child in (item.values() if isinstance(item, dict) else item)
        ]
        if not level:
            return False
    return any(isinstance(item, dict | list) for item in level)


class _Refused(Exception):
    def __init__(self, response: Response) -> None:
        self.response = response


async def create_meeting(request: Request) -> Response:
    """POST /api/meetings: from a shipped plan by name, or from an agenda in the body."""
    settings = state(request)["settings"]
    # A plain HTML form on another site can post text/plain or a form to this address, without
    # the page asking; JSON needs a script, and a browser sends a script's JSON to another site
    # only after a CORS preflight this server never answers.
    media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media_type != "application/json":
        return problem(415, "send the agenda as JSON, with Content-Type: application/json")
    if settings.admin_token:
        token = _bearer(request)
        # Compared as bytes: compare_digest refuses str with non-ASCII characters (a 500). The
        # header's bytes are what Starlette decoded as Latin-1; the token is UTF-8 text.
        if token is None or not hmac.compare_digest(
            token.encode("latin-1"), settings.admin_token.encode()
        ):
            return problem(
                401,
                "creating meetings on this server needs the admin token (Authorization: Bearer …)",
            )
    key = request.headers.get("idempotency-key", "").strip()
    if not key:
        return await _create(request)
    if len(key) > MAX_KEY:
        return problem(400, f"the Idempotency-Key is longer than {MAX_KEY} characters")
    return await state(request)["idempotency"].once(address(request), key, lambda: _create(request))


async def _create(request: Request) -> Response:
    settings = state(request)["settings"]
    refused = await _creation_refused(request)
    if refused is not None:
        return refused
    try:
        body = await _json_body(request)
    except _Refused as refused_body:
        return refused_body.response
    if not isinstance(body, dict):
        return problem(
            400,
            'send a JSON object: {"plan": "<name>"} or an agenda with '
            "title, language and activities",
        )
    joining: tuple[Any, str] | None = None  # the process (Found) and step to join
    if "process" in body:  # join a process's step as it is made (docs/processes.md)
        from facilitate.web.process_api import join_at_creation  # it imports this module

        checked = await join_at_creation(request, body.pop("process"))
        if isinstance(checked, Response):
            return checked
        joining = checked
    try:
        if "plan" in body:
            name = body["plan"]
            plan = plans.load(settings.sessions_dir, name) if isinstance(name, str) else None
            if plan is None:
                names = [s.name for s in plans.available(settings.sessions_dir)]
                return problem(
                    404,
                    f"there is no plan called {name!r}; available: {', '.join(names)}",
                    plans=names,
                )
            if body.get("title"):
                data = plan.to_dict()
                data["title"] = body["title"]
                plan = plan_from_dict(data)
        else:
            plan = plan_from_dict(body)
    except PlanError as exc:
        return problem(
            400,
            "the agenda has problems: " + str(exc),
            problems=[
                {
                    "field": p.field,
                    "message": p.message,
                    "line": p.line,
                    "code": p.code,
                    "params": dict(p.params),
                }
                for p in exc.problems
            ],
        )
    state(request)["creations"].record(address(request))
    created = await state(request)["meetings"].create(plan)
    urls = join_urls(request, created.code)
    base = urls["base"]
    joined = {}
    if joining is not None:
        found, step = joining
        command = Command("join", {"meeting": created.code, "step": step})
        await state(request)["processes"].handle(found.process.id, command)
        joined = {"process": {"id": found.process.id, "step": step}}
    return JSONResponse(
        {
            "code": created.code,
            "facilitator_key": created.facilitator_key,
            "screen_key": created.screen_key,
            "join_url": urls["join"],
            "screen_url": f"{base}/{created.code}/screen#key={created.screen_key}",
            "facilitator_url": f"{base}/{created.code}/console#key={created.facilitator_key}"
            f"&screen={created.screen_key}",
            "record_url": f"{base}/api/meetings/{created.code}/record",
            **joined,
        },
        status_code=201,
    )


async def _creation_refused(request: Request) -> Response | None:
    """Meetings cost memory and disk: a few an hour per address, and none once the database
    has reached its cap (running meetings go on)."""
    shared = state(request)
    who = address(request)
    if shared["creations"].blocked(who):
        wait = shared["creations"].retry_after(who)
        return problem(
            429,
            f"this address has started many meetings in the last hour; try again in {wait} s",
            headers={"Retry-After": str(wait)},
        )
    cap = shared["settings"].max_database_megabytes
    if cap and await shared["meetings"].writer.run(_size) > cap * 1024 * 1024:
        return problem(
            507,
            f"the database has reached its limit of {cap} MB: delete old meetings "
            "(facilitate purge) or raise FACILITATE_MAX_DATABASE_MB",
        )
    return None


async def _authorised(request: Request) -> Live:
    code = request.path_params["code"]
    live = await find_meeting(request, code)
    if live is None:
        raise _Refused(problem(404, f"no meeting has the code {code[:20]!r}"))
    key = _bearer(request)
    if key is None:
        raise _Refused(problem(401, "send the facilitator key: Authorization: Bearer <key>"))
    if not live.is_facilitator(key):
        raise _Refused(problem(403, "that key is not this meeting's facilitator key"))
    return live


async def _authorised_log(request: Request) -> Any:
    live = await _authorised(request)
    return await state(request)["meetings"].log(live.row.code)


async def delete_meeting(request: Request) -> Response:
    """DELETE /api/meetings/{code}: remove the meeting and its whole record for good."""
    try:
        live = await _authorised(request)
    except _Refused as refused:
        return refused.response
    catalogs = state(request)["catalogs"]

    def farewell(lang: str) -> str:  # each connection is told in the language it speaks
        message = strings.error_text(catalogs[lang], "unknown_meeting", {})
        return encode({"type": "error", "id": None, "code": "unknown_meeting", "message": message})

    await state(request)["meetings"].delete(live, farewell)
    return Response(status_code=204)


async def record(request: Request) -> Response:
    """GET /api/meetings/{code}/record: the structured record as JSON."""
    try:
        log = await _authorised_log(request)
    except _Refused as refused:
        return refused.response
    return JSONResponse(records.build(log))


async def scribes(request: Request) -> Response:
    """GET /api/meetings/{code}/scribes: each table's scribe code now, with the address and QR
    code that make a phone that table's scribe (docs/protocol.md, "Scribes")."""
    try:
        live = await _authorised(request)
    except _Refused as refused:
        return refused.response
    if not live.meeting.tables:
        return problem(404, "this meeting has no tables")
    code = live.row.code
    join = join_urls(request, code)["join"]
    found = []
    for table in live.meeting.tables:
        secret = live.scribe_code(table)
        query = f"table={table}&scribe={secret}"
        found.append(
            {
                "table": table,
                "code": secret,
                "url": f"{join}?{query}",
                "qr": f"/{code}/qr.svg?{query}",
            }
        )
    return JSONResponse({"tables": found}, headers={"cache-control": "no-store"})


async def helper(request: Request) -> Response:
    """GET /api/meetings/{code}/helper: the helper page's key and address (facilitator key)."""
    try:
        live = await _authorised(request)
    except _Refused as refused:
        return refused.response
    secret = live.helper_key()
    url = f"{join_urls(request, live.row.code)['join']}/helper#key={secret}"
    return JSONResponse({"key": secret, "url": url}, headers={"cache-control": "no-store"})


async def minutes(request: Request) -> Response:
    """GET /api/meetings/{code}/minutes.{fmt}: the minutes in the meeting's language as a
    download, in any format of facilitate.export.FORMATS (md, html, docx, xlsx, csv, …)."""
    fmt = request.path_params["fmt"]
    entry = exports.FORMATS.get(fmt)
    if entry is None:
        return problem(
            404, f"no minutes format {fmt[:20]!r}; formats: {', '.join(exports.FORMATS)}"
        )
    try:
        log = await _authorised_log(request)
    except _Refused as refused:
        return refused.response
    data = records.build(log)
    found = await state(request)["processes"].of_meeting(request.path_params["code"])
    if found is not None:  # the minutes link to the process's public follow-up page
        data["process"] = {
            "title": found.process.title,
            "follow_url": f"{base_url(request)}/p/{found.process.id}/follow",
        }
    catalogs = state(request)["catalogs"]
    gettext = catalogs[data["meeting"]["language"]].gettext
    # A big meeting's workbook takes a moment to write: not on the event loop.
    body = await run_in_threadpool(exports.export, data, fmt, gettext)
    name = exports.filename(fmt, request.path_params["code"])
    headers = {"content-disposition": f'attachment; filename="{name}"'}
    if fmt == "html":  # its own CSS in a <style> element, and nothing else at all
        headers["content-security-policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
            "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        )
    return Response(body, media_type=entry.media_type, headers=headers)


def _size(db: store.Database) -> int:
    return db.size()
