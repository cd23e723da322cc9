"""The JSON API of processes: create one, join meetings to its steps, keep its follow-up."""

from __future__ import annotations

import hmac
from typing import Any

from starlette.requests import HTTPConnection, Request
from starlette.responses import JSONResponse, Response

from facilitate.core import outcome
from facilitate.core.errors import CommandError
from facilitate.core.events import Command
from facilitate.core.process import MAX_MEETINGS, STEPS, Process, ProcessError, check_step
from facilitate.core.record import iso
from facilitate.meetings import CODE, Live
from facilitate.processes import Found, is_id, same_meeting
from facilitate.web.api import _bearer, _creation_refused, _json_body, _Refused, problem
from facilitate.web.context import TooManyGuesses, address, base_url, find_meeting, state

# Refusals a command can meet, as HTTP statuses: the rest are problems with a field (422).
_STATUS = {
    "unknown_process": 404,
    "unknown_meeting": 404,
    "unknown_entry": 404,
    "not_in_process": 404,
    "in_another_process": 409,
    "too_many_meetings": 409,
    "too_many_items": 409,
}


def refusal(exc: CommandError) -> JSONResponse:
    """A refused command as a response: where it is wrong (`problems`), and why."""
    status = _STATUS.get(exc.code, 422)
    located = {"field": exc.params.get("field", ""), "message": exc.message, "code": exc.code}
    return problem(status, exc.message, code=exc.code, problems=[located])


def process_urls(conn: HTTPConnection, process_id: str) -> dict[str, str]:
    base = base_url(conn)
    return {
        "page": f"{base}/p/{process_id}",
        "follow": f"{base}/p/{process_id}/follow",
        "promise": f"{base}/api/processes/{process_id}/promise.docx",
    }


def _guess(conn: HTTPConnection) -> None:
    """A wrong process id or key counts as a guess, like a wrong meeting code.

    Raises:
        TooManyGuesses: this address has guessed too often this minute.
    """
    guesses, who = state(conn)["guesses"], address(conn)
    if guesses.blocked(who):
        raise TooManyGuesses(guesses.retry_after(who))
    guesses.record(who)


async def find_process(conn: HTTPConnection, process_id: str) -> Found | None:
    """The process with this id; a wrong id counts against the caller's address."""
    guesses, who = state(conn)["guesses"], address(conn)
    if guesses.blocked(who):
        raise TooManyGuesses(guesses.retry_after(who))
    found = await state(conn)["processes"].get(process_id) if is_id(process_id) else None
    if found is None:
        guesses.record(who)
    return found


async def organised(request: Request) -> Found:
    """The process of the path, when the request holds its key.

    Raises:
        _Refused: 404 no such process, 401 no key, 403 a wrong key.
    """
    process_id = request.path_params["id"]
    found = await find_process(request, process_id)
    if found is None:
        raise _Refused(problem(404, f"there is no process {process_id[:20]!r}"))
    key = _bearer(request)
    if key is None:
        raise _Refused(problem(401, "send the process key: Authorization: Bearer <key>"))
    if not found.is_organiser(key):
        _guess(request)
        raise _Refused(problem(403, "that key is not this process's key"))
    return found


async def _object(request: Request) -> dict[str, Any]:
    body = await _json_body(request)
    if not isinstance(body, dict):
        raise _Refused(problem(400, "send a JSON object"))
    return body


def _admin(request: Request) -> Response | None:
    token = state(request)["settings"].admin_token
    if not token:
        return None
    sent = _bearer(request)
    # As for meetings: compared as bytes, in constant time (docs/security.md).
    if sent is None or not hmac.compare_digest(sent.encode("latin-1"), token.encode()):
        return problem(
            401, "creating processes on this server needs the admin token (Authorization: Bearer …)"
        )
    return None


async def create_process(request: Request) -> Response:
    """POST /api/processes: title, language, optional description → id, key (shown once), urls."""
    media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media_type != "application/json":
        return problem(415, "send the process as JSON, with Content-Type: application/json")
    refused = _admin(request) or await _creation_refused(request)
    if refused is not None:
        return refused
    try:
        body = await _object(request)
    except _Refused as no:
        return no.response
    try:
        created = await state(request)["processes"].create(body)
    except ProcessError as exc:
        return problem(
            422,
            "the process has problems: " + str(exc),
            problems=[
                {"field": p.field, "message": p.message, "code": p.code} for p in exc.problems
            ],
        )
    state(request)["creations"].record(address(request))
    urls = process_urls(request, created.id)
    urls["organiser"] = f"{urls['page']}#key={created.key}"
    return JSONResponse({"id": created.id, "key": created.key, "urls": urls}, status_code=201)


async def meeting_summary(
    request: Request, code: str, created: float | None
) -> dict[str, Any] | None:
    """A member meeting as the process page lists it; None when it is gone."""
    live = await state(request)["meetings"].get(code)
    if live is None or not same_meeting(created, live.meeting.created_at):
        return None
    found = outcome.summary(live.meeting)
    found["created_at"] = iso(live.meeting.created_at)
    if live.meeting.report.published:
        found["results_url"] = f"{base_url(request)}/{code}/results"
    return found


async def view(request: Request, found: Found) -> dict[str, Any]:
    """The organiser's view of a process: its steps in order with their meetings and what came
    out of them, what each step takes in from the steps before, and the follow-up items."""
    process = found.process
    steps = []
    earlier: list[dict[str, Any]] = []  # what the steps so far gave
    before: list[dict[str, Any]] = []  # the meetings of the step before
    for step, members in process.by_step().items():
        meetings = []
        for member in members:
            summary = await meeting_summary(request, member.meeting, member.created)
            if summary is not None:
                meetings.append({**summary, "step": step})
        # What the steps so far gave, shown at the step right after one with meetings: the
        # step that takes it in next (not repeated down every empty step after it).
        steps.append({"step": step, "meetings": meetings, "takes_in": earlier if before else []})
        earlier = earlier + [
            {"meeting": m["title"], **o} for m in meetings for o in m["outcomes"] if o["items"]
        ]
        before = meetings
    return {
        "id": process.id,
        "title": process.title,
        "language": process.language,
        "description": process.description,
        "created_at": iso(process.created_at),
        "urls": process_urls(request, process.id),
        "steps": steps,
        "followups": followups(process),
    }


def followups(process: Process) -> list[dict[str, Any]]:
    return [
        {
            "id": item.id,
            "title": item.title,
            "status": item.status,
            "source": item.source,
            "added_at": iso(item.added_at),
            "updates": [
                {"at": iso(u.at), "text": u.text, "status": u.status} for u in item.updates
            ],
        }
        for item in process.items.values()
    ]


async def get_process(request: Request) -> Response:
    """GET /api/processes/{id}: the organiser's view (process key)."""
    try:
        found = await organised(request)
    except _Refused as no:
        return no.response
    return JSONResponse(await view(request, found))


async def _command(request: Request, found: Found, command: Command) -> Response:
    try:
        process, events = await state(request)["processes"].handle(found.process.id, command)
    except CommandError as exc:
        return refusal(exc)
    return JSONResponse(
        {"changed": len(events), "process": await view(request, Found(found.row, process))}
    )


async def _facilitated(request: Request, code: Any, key: Any) -> Live:
    """The meeting `code` when `key` is its facilitator key (sent in the body, since the
    Authorization header carries the process key).

    Raises:
        _Refused: 422 no code, 404 no such meeting, 401 no key, 403 a wrong key.
    """
    if not isinstance(code, str) or not CODE.fullmatch(code):
        located = {
            "field": "meeting",
            "message": "a meeting code has six digits",
            "code": "bad_code",
        }
        raise _Refused(problem(422, "a meeting code has six digits", problems=[located]))
    live = await find_meeting(request, code)
    if live is None:
        raise _Refused(problem(404, f"no meeting has the code {code!r}", code="unknown_meeting"))
    if not isinstance(key, str) or not key:
        message = "send the meeting's facilitator key as facilitator_key"
        raise _Refused(problem(401, message, code="missing_key"))
    if not live.is_facilitator(key):
        _guess(request)
        message = "that key is not the meeting's facilitator key"
        raise _Refused(problem(403, message, code="wrong_key"))
    return live


async def join_meeting(request: Request) -> Response:
    """POST /api/processes/{id}/meetings: {meeting, facilitator_key, step} (process key)."""
    try:
        found = await organised(request)
        body = await _object(request)
        try:
            check_step(body.get("step"))
        except CommandError as exc:
            return refusal(exc)
        live = await _facilitated(request, body.get("meeting"), body.get("facilitator_key"))
    except _Refused as no:
        return no.response
    command = Command("join", {"meeting": live.row.code, "step": body["step"]})
    return await _command(request, found, command)


async def move_meeting(request: Request) -> Response:
    """PATCH /api/processes/{id}/meetings/{code}: {step} (process key)."""
    try:
        found = await organised(request)
        body = await _object(request)
    except _Refused as no:
        return no.response
    command = Command("move", {"meeting": request.path_params["code"], "step": body.get("step")})
    return await _command(request, found, command)


async def add_followup(request: Request) -> Response:
    """POST /api/processes/{id}/followups: {title, status?, note?} (process key)."""
    try:
        found = await organised(request)
        body = await _object(request)
    except _Refused as no:
        return no.response
    known = {"title", "status", "note"}
    if set(body) - known:
        return _unknown_fields(body, known)
    return await _command(request, found, Command("add_item", body))


async def update_followup(request: Request) -> Response:
    """PATCH /api/processes/{id}/followups/{item}: {status?, title?, note?} (process key)."""
    try:
        found = await organised(request)
        body = await _object(request)
    except _Refused as no:
        return no.response
    known = {"title", "status", "note"}
    if set(body) - known:
        return _unknown_fields(body, known)
    command = Command("update_item", {**body, "item": request.path_params["item"]})
    return await _command(request, found, command)


def _unknown_fields(body: dict[str, Any], known: set[str]) -> Response:
    located = [
        {"field": str(name)[:40], "message": "this field is not known", "code": "unknown_field"}
        for name in sorted(set(body) - known)
    ]
    return problem(422, f"the fields are {', '.join(sorted(known))}", problems=located)


async def import_followups(request: Request) -> Response:
    """POST /api/processes/{id}/followups/import: each activity a meeting of the process chose
    (its kinds' `commitments`) becomes a planned follow-up item, once (process key)."""
    from facilitate.web.promise_api import meeting_commitments  # the promise's record reading

    try:
        found = await organised(request)
    except _Refused as no:
        return no.response
    process = found.process
    added = 0
    for member in list(process.members.values()):
        for title in await meeting_commitments(request, member.meeting, member.created):
            if process.imported(member.meeting, title):
                continue
            command = Command("add_item", {"title": title, "source": member.meeting})
            try:
                process, events = await state(request)["processes"].handle(process.id, command)
            except CommandError as exc:
                return refusal(exc)
            added += len(events)
    return JSONResponse(
        {"changed": added, "process": await view(request, Found(found.row, process))}
    )


async def meeting_process(request: Request) -> Response:
    """GET /api/meetings/{code}/process: the process and step this meeting is in, or null
    (facilitator key). Never the process key: the console cannot open the process page."""
    from facilitate.web.api import _authorised

    try:
        live = await _authorised(request)
    except _Refused as no:
        return no.response
    found = await state(request)["processes"].of_meeting(live.row.code)
    if found is None:
        return JSONResponse({"process": None, "steps": list(STEPS)})
    member = found.process.members[live.row.code]
    urls = process_urls(request, found.process.id)
    return JSONResponse(
        {
            "process": {
                "id": found.process.id,
                "title": found.process.title,
                "step": member.step,
                "follow_url": urls["follow"],
            },
            "steps": list(STEPS),
        }
    )


async def join_at_creation(request: Request, spec: Any) -> tuple[Found, str] | Response:
    """Check a new meeting's `process: {id, key, step}` before the meeting is made: the
    process and step to join, or the response that refuses it."""
    if not isinstance(spec, dict):
        return problem(422, "process is {id, key, step}", problems=[_field("process", "shape")])
    process_id, key, step = spec.get("id"), spec.get("key"), spec.get("step")
    if not isinstance(process_id, str):
        return problem(
            422, "process.id is the process's id", problems=[_field("process.id", "shape")]
        )
    try:
        check_step(step)
    except CommandError as exc:
        return problem(422, exc.message, problems=[_field("process.step", exc.code, exc.message)])
    found = await find_process(request, process_id)
    if found is None:
        return problem(404, f"there is no process {process_id[:20]!r}")
    if not isinstance(key, str) or not key:
        return problem(401, "send the process key as process.key")
    if not found.is_organiser(key):
        _guess(request)
        return problem(403, "that key is not this process's key")
    if len(found.process.members) >= MAX_MEETINGS:  # refused before the meeting is made
        message = f"a process holds at most {MAX_MEETINGS} meetings"
        return problem(409, message, code="too_many_meetings")
    return found, str(step)


def _field(name: str, code: str, message: str = "") -> dict[str, str]:
    return {"field": name, "message": message or f"{name} is missing or wrong", "code": code}
