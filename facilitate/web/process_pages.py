"""The pages of a process: the organiser's process page and the public follow-up page."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from facilitate.core import outcome
from facilitate.core.process import STATUS_LABELS, STEP_LABELS
from facilitate.core.record import iso
from facilitate.processes import same_meeting
from facilitate.web.context import base_url, language, public_language, state
from facilitate.web.pages import _local, render
from facilitate.web.process_api import find_process, followups, process_urls


def _labels(request: Request, lang: str) -> dict[str, dict[str, str]]:
    gettext = state(request)["catalogs"][lang].gettext
    return {
        "steps": {key: gettext(label) for key, label in STEP_LABELS.items()},
        "statuses": {key: gettext(label) for key, label in STATUS_LABELS.items()},
    }


def _missing(request: Request, lang: str) -> Response:
    message = state(request)["catalogs"][lang].gettext(
        "There is no such process. Check the address."
    )
    return render(request, "join.html", lang, 404, code="", error=message)


async def organiser(request: Request) -> Response:
    """The organiser's page of a process; the key is in the fragment and every request the
    page makes sends it, so the server checks it (static/js/process.js)."""
    found = await find_process(request, request.path_params["id"])
    if found is None:
        return _missing(request, language(request))
    lang = language(request, found.process.language)
    labels = _labels(request, lang)
    return render(
        request,
        "process.html",
        lang,
        script="js/process.js",
        process_id=found.process.id,
        labels=labels,
        # For the page's script: [key, label] pairs, in order (tojson sorts an object's keys).
        ordered_labels={name: list(pairs.items()) for name, pairs in labels.items()},
        urls=process_urls(request, found.process.id),
    )


async def follow(request: Request) -> Response:
    """The public follow-up page: each follow-up item with its status and dated updates, and
    the process's meetings whose results are published. No key, no script needed, nothing
    personal: what the public results pages show, and the organiser's own follow-up."""
    found = await find_process(request, request.path_params["id"])
    if found is None:
        return _missing(request, public_language(request))
    process = found.process
    lang = public_language(request, process.language)
    meetings: list[dict[str, Any]] = []
    for member in process.members.values():
        live = await state(request)["meetings"].get(member.meeting)
        if live is None or not live.meeting.report.published:
            continue
        if not same_meeting(member.created, live.meeting.created_at):
            continue
        summary = outcome.summary(live.meeting)
        summary["step"] = member.step
        summary["results_url"] = f"{base_url(request)}/{member.meeting}/results"
        meetings.append(summary)
    return render(
        request,
        "follow.html",
        lang,
        process=process,
        items=list(reversed(followups(process))),
        meetings=meetings,
        labels=_labels(request, lang),
        when=lambda iso: _local(iso, "%d.%m.%Y"),
        day=lambda at: _local(iso(at), "%d.%m.%Y"),
    )
