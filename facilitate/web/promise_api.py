"""Draft citizen promises as downloads, and what a process's meetings committed to."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from facilitate.core import record as records, tables
from facilitate.core.blocks import Context
from facilitate.core.kinds import KINDS
from facilitate.core.text import localize
from facilitate.export.model import words
from facilitate.export.promise import Source, draft
from facilitate.export.promise_formats import FORMATS, filename
from facilitate.processes import Found, same_meeting
from facilitate.web.api import _authorised, _Refused, problem
from facilitate.web.context import base_url, state
from facilitate.web.process_api import organised, process_urls

# The draft is opened as a file: its own CSS in a <style> element, and nothing else at all.
_HTML_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


async def source(
    request: Request, code: str, step: str | None, created: Any = None
) -> Source | None:
    """A meeting's public record as the draft reads it (None if the meeting is gone, or its
    code now belongs to another meeting than the one that joined)."""
    live = await state(request)["meetings"].get(code)
    if live is None or not same_meeting(created, live.meeting.created_at):
        return None
    full = records.build(await state(request)["meetings"].log(code))
    published = full["meeting"]["published"]
    return Source(
        records.public(full),
        step,
        f"{base_url(request)}/{code}/results" if published else None,
    )


async def process_sources(request: Request, found: Found) -> list[Source]:
    """The process's meetings in the order of its steps."""
    found_sources = []
    for members in found.process.by_step().values():
        for member in members:
            got = await source(request, member.meeting, member.step, member.created)
            if got is not None:
                found_sources.append(got)
    return found_sources


async def _download(
    request: Request,
    title: str,
    description: str,
    language: str,
    sources: list[Source],
    follow_url: str | None,
    name: str,
    activities: list[str] | None = None,
) -> Response:
    fmt = request.path_params["fmt"]
    gettext = state(request)["catalogs"][language].gettext
    made = draft(
        title, description, language, sources, gettext, follow_url, activities=activities or []
    )
    body = await run_in_threadpool(FORMATS[fmt].render, made)
    data = body.encode("utf-8") if isinstance(body, str) else body
    headers = {"content-disposition": f'attachment; filename="{filename(fmt, name)}"'}
    if fmt == "html":
        headers["content-security-policy"] = _HTML_POLICY
    return Response(data, media_type=FORMATS[fmt].media_type, headers=headers)


def _format_refused(request: Request) -> Response | None:
    fmt = request.path_params["fmt"]
    if fmt in FORMATS:
        return None
    return problem(404, f"no promise format {fmt[:20]!r}; formats: {', '.join(FORMATS)}")


async def meeting_promise(request: Request) -> Response:
    """GET /api/meetings/{code}/promise.{md,html,docx}: a draft citizen promise (facilitator
    key); for a meeting in a process, drawn from the whole process."""
    refused = _format_refused(request)
    if refused is not None:
        return refused
    try:
        live = await _authorised(request)
    except _Refused as no:
        return no.response
    code = live.row.code
    language = live.meeting.plan.language
    found = await state(request)["processes"].of_meeting(code)
    if found is not None:
        sources = await process_sources(request, found)
        urls = process_urls(request, found.process.id)
        process = found.process
        return await _download(
            request,
            process.title,
            process.description,
            language,
            sources,
            urls["follow"],
            code,
            planned(found),
        )
    own = await source(request, code, None)
    assert own is not None  # it was found a moment ago
    title = localize(live.meeting.plan.title, language, language)
    description = localize(live.meeting.plan.description, language, language)
    return await _download(request, title, description, language, [own], None, code)


async def process_promise(request: Request) -> Response:
    """GET /api/processes/{id}/promise.{md,html,docx}: the process's draft (process key)."""
    refused = _format_refused(request)
    if refused is not None:
        return refused
    try:
        found = await organised(request)
    except _Refused as no:
        return no.response
    process = found.process
    sources = await process_sources(request, found)
    follow = process_urls(request, process.id)["follow"]
    return await _download(
        request,
        process.title,
        process.description,
        process.language,
        sources,
        follow,
        process.id,
        planned(found),
    )


def planned(found: Found) -> list[str]:
    """The process's follow-up items that are not dropped: the promise's activities so far."""
    return [i.title for i in found.process.items.values() if i.status != "dropped"]


async def meeting_commitments(request: Request, code: str, created: float | None) -> list[str]:
    """What a meeting chose to do, as its kinds say (`Kind.commitments`), from its public
    record: the titles a process's follow-up imports."""
    got = await source(request, code, None, created)
    if got is None:
        return []
    record = got.record
    language = record["meeting"]["language"]
    w = words(state(request)["catalogs"][language].gettext)

    def text(value: dict[str, str] | None) -> str:
        return localize(value or {}, language, language)

    context = Context(w, text, lambda iso: None)
    titles: list[str] = []
    for entry in record["activities"]:
        kind = KINDS.get(entry["kind"])
        if kind is None:
            continue
        for piece in tables.each_part(entry):  # each table's, for one answered per table
            for title in kind.commitments(piece, context):
                if title not in titles:
                    titles.append(title)
    return titles
