"""The phone page without scripts: the current activity as plain HTML forms.

For phones with JavaScript off (old browsers, data savers, strict settings). `GET /{code}/plain`
draws the current activity on the server, with the kind's form (the `plain` macro of its
partial, templates/kinds/); `POST /{code}/plain` turns the form into the kind's commands
(`Kind.from_form`) and applies them through the same path as the websocket's, shape checks,
rules, limits and the durable write included, then answers `303` to `/{code}/plain/saved`
(post, redirect, get). docs/protocol.md, "Plain forms", says why each check is there.

The phone's identity is a participant token as the live page's, kept in an HttpOnly cookie
scoped to the meeting's path; its anonymous id is the same function of the token
(`participant_id`). Each form carries a token derived from it (`Live.form_token`): a page of
another site can neither read nor make it, and the cookie is SameSite=Lax besides.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import secrets
from typing import Any
from urllib.parse import parse_qs

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from facilitate.codec import encode, parse
from facilitate.core.errors import CommandError
from facilitate.core.events import FORM
from facilitate.core.kinds.base import Commands, Form
from facilitate.core.kinds.forms import first
from facilitate.core.messages import MAX_MESSAGE_BYTES, Message
from facilitate.core.text import PHONE_LANGUAGES, localize
from facilitate.core.views import plain as plain_view
from facilitate.limits import Bucket
from facilitate.meetings import Live, participant_id
from facilitate.web import pages, strings
from facilitate.web.context import address, find_meeting, public_language, state
from facilitate.web.security import origin_allowed
from facilitate.web.ws import TOKEN

logger = logging.getLogger(__name__)

COOKIE = "participant"  # scoped to /{code}: one token per meeting, as the live page keeps one
COOKIE_SECONDS = 24 * 3600  # an evening's meeting and the morning after; renewed on each page
# A form's fields as percent-encoded text: three bytes for each of a note's UTF-8 bytes.
MAX_FORM_BYTES = 3 * MAX_MESSAGE_BYTES
MAX_FIELDS = 200
NONCE = re.compile(r"[A-Za-z0-9_-]{8,32}")
RULES = "phone.rules_default"  # the moderation rules, unless the meeting has its own
# A phone's posts: a burst, then a few a second, as a websocket's commands (one post may be a
# scale's twenty ratings, but a person sends one form at a time).
FORM_BURST, FORM_RATE = 20, 5.0
RETRY_SECONDS = 5  # a phone turned away while many join reloads the page by itself after this
# The statuses of refusals: the page says what was wrong either way.
STATUS = {
    "no_cookie": 403,
    "stale_form": 403,
    "other_site": 403,
    "too_many_new_phones": 429,
    "slow_down": 429,
    "storage": 503,
}


def _token(request: Request) -> str | None:
    """The phone's participant token from its cookie, if it has a well-formed one."""
    token = request.cookies.get(COOKIE)
    return token if token is not None and TOKEN.fullmatch(token) else None


def _same_origin(request: Request) -> bool:
    """A post must come from a page of this server, as a websocket must: its Origin, or where
    a browser sends none, its Referer (the plain pages send one to this server only). Neither
    means no browser, which gains nothing from forging one."""
    settings = state(request)["settings"]
    sent = request.headers.get("origin") or request.headers.get("referer")
    return sent is None or origin_allowed(
        sent, request.headers.get("host"), settings.public_url, settings.extra_origins
    )


async def _arrive(request: Request, live: Live, pid: str) -> bool:
    """Record a phone's first arrival as the websocket's hello does: a new identity counts
    against its network's budget for new phones (False when that is spent for now)."""
    if pid in live.meeting.participants:
        return True
    who = address(request)
    if not state(request)["newcomers"].take(who):
        return False
    live.joins.add(who)
    await state(request)["meetings"].join(live, pid)
    return True


def _url(request: Request, name: str, code: str) -> str:
    """A plain page's path, keeping the language asked for in the address."""
    path = str(request.url_for(name, code=code).path)
    lang = request.query_params.get("lang")
    return f"{path}?lang={lang}" if lang in PHONE_LANGUAGES else path


async def page(request: Request) -> Response:
    """GET /{code}/plain: the current activity and its form; a new phone gets its token."""
    code = request.path_params["code"]
    live = await find_meeting(request, code)
    if live is None:
        return pages.no_meeting(request, code)
    lang = public_language(request, live.meeting.plan.language)
    token = _token(request) or secrets.token_urlsafe(18)
    pid = participant_id(token)
    if not await _arrive(request, live, pid):
        return _draw(request, live, lang, None, error="too_many_new_phones")
    return _draw(request, live, lang, token)


async def saved(request: Request) -> Response:
    """GET /{code}/plain/saved: where a form that was saved leads (post, redirect, get)."""
    code = request.path_params["code"]
    live = await find_meeting(request, code)
    if live is None:
        return pages.no_meeting(request, code)
    lang = public_language(request, live.meeting.plan.language)
    return _draw(request, live, lang, None, saved=True)


async def post(request: Request) -> Response:
    """POST /{code}/plain: a form's commands, each applied and durably written in turn."""
    code = request.path_params["code"]
    live = await find_meeting(request, code)
    if live is None:
        return pages.no_meeting(request, code)
    lang = public_language(request, live.meeting.plan.language)
    token = _token(request)
    if not _same_origin(request):
        return _draw(request, live, lang, token, error="other_site")
    try:
        form = await _read(request)
    except CommandError as refused:
        return _draw(request, live, lang, token, error=refused.code, params=refused.params)
    if token is None:
        return _draw(request, live, lang, None, error="no_cookie", typed=form)
    if not hmac.compare_digest(first(form, "csrf").encode(), live.form_token(token).encode()):
        return _draw(request, live, lang, token, error="stale_form", typed=form)
    pid = participant_id(token)
    if not await _arrive(request, live, pid):
        return _draw(request, live, lang, None, error="too_many_new_phones", typed=form)
    if not live.form_posts.setdefault(pid, Bucket(FORM_BURST, FORM_RATE)).take():
        return _draw(request, live, lang, token, error="slow_down", typed=form)
    meetings = state(request)["meetings"]
    try:
        for message in _messages(live, pid, form):
            if message.type == "note":
                live.notes_from.add(address(request))  # the console's flood warning
            await meetings.execute(live, pid, message)
    except CommandError as refused:
        return _draw(
            request, live, lang, token, error=refused.code, params=refused.params, typed=form
        )
    except Exception:
        logger.exception("a plain form for meeting %s was not saved", code)
        return _draw(request, live, lang, token, error="storage", typed=form)
    return RedirectResponse(_url(request, "plain_saved", code), status_code=303)


async def _read(request: Request) -> dict[str, list[str]]:
    """The posted form's fields (application/x-www-form-urlencoded, UTF-8).

    Raises:
        CommandError: "too_big" past MAX_FORM_BYTES, "bad_message" for anything not a form.
    """
    sent_as = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if sent_as != "application/x-www-form-urlencoded":
        raise CommandError("bad_message", "a plain form is sent url-encoded")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            raise CommandError("too_big", f"forms are limited to {MAX_FORM_BYTES} bytes")
    try:
        return parse_qs(
            body.decode("ascii"),
            keep_blank_values=True,
            encoding="utf-8",
            errors="strict",
            max_num_fields=MAX_FIELDS,
        )
    except ValueError as exc:  # not ASCII, not UTF-8 once decoded, too many fields
        raise CommandError("bad_message", "a form must be url-encoded UTF-8 text") from exc


def _messages(live: Live, pid: str, form: Form) -> list[Message]:
    """The commands a form stands for, each checked as a websocket frame is and marked as
    coming by form. A phone's table (`do=sit`) is the page's own; anything else is the kind's
    (`Kind.from_form`), for the activity the form names, as this phone has it."""
    if first(form, "do") == "sit":
        commands: Commands = [("sit", {"table": first(form, "table")})]
    else:
        meeting = live.meeting
        whole = meeting.activity(first(form, "activity"))
        if not whole.accepts_input:
            raise CommandError("no_input", "this slide takes no input")
        if not whole.open:
            raise CommandError("closed", "input is closed for this activity")
        part = meeting.own_state(whole.spec.id, pid)
        if part is None:
            raise CommandError("no_table", "choose the table you sit at first")
        found = part.kind.from_form(part, form, pid)
        if found is None:
            raise CommandError("needs_app", "this activity takes no plain forms")
        commands = found
    nonce = first(form, "nonce")
    nonce = nonce if NONCE.fullmatch(nonce) else secrets.token_urlsafe(12)
    messages = []
    for command, data in commands:
        # The id says which rendering of the form sent what: the same form sent twice (a
        # double tap) is applied once, as a websocket's resend is.
        said = hashlib.sha256(json.dumps([command, data], sort_keys=True).encode()).hexdigest()
        checked = parse(encode({"type": command, "id": f"form-{nonce}-{said[:20]}", **data}))
        messages.append(Message(checked.type, checked.id, {**checked.data, "channel": FORM}))
    return messages


def _draw(
    request: Request,
    live: Live,
    lang: str,
    token: str | None,
    *,
    error: str | None = None,
    params: dict[str, Any] | None = None,
    typed: Form | None = None,
    saved: bool = False,
) -> Response:
    """A plain page: the current activity with its form for the phone with `token` (none:
    only what is said to everyone), the refusal `error` in the page's language with the
    fields as they were `typed`, or, `saved`, that the last form was saved."""
    meeting = live.meeting
    code = live.row.code
    translations = state(request)["catalogs"][lang]
    pid = participant_id(token) if token is not None else None
    shown = plain_view(meeting, pid) if pid is not None else {"activity": None}
    activity = shown["activity"]
    nonce = secrets.token_urlsafe(12)
    hidden = Markup("").join(
        Markup('<input type="hidden" name="{}" value="{}">').format(name, value)
        for name, value in (
            ("csrf", live.form_token(token) if token is not None else ""),
            ("nonce", nonce),
            ("activity", activity["id"] if activity else ""),
        )
    )

    def text(value: Any) -> str:
        """A plan text in the page's language; a participant's text as it was written."""
        return value if isinstance(value, str) else localize(value, lang, meeting.plan.language)

    def typed_text(name: str, default: str = "") -> str:
        return first(typed, name) if typed is not None else default

    def typed_values(name: str, default: list[str]) -> list[str]:
        return list(typed.get(name) or ()) if typed is not None else default

    def picked(name: str, value: str, default: bool = False) -> bool:
        return value in (typed.get(name) or ()) if typed is not None else default

    ended = meeting.report.ended
    response = pages.render(
        request,
        "plain.html",
        lang,
        STATUS.get(error or "", 400) if error else 200,
        code=code,
        title=localize(meeting.plan.title, lang, meeting.plan.language),
        identified=pid is not None,
        activity=None if ended or saved else activity,
        seated=shown.get("seated", True),
        mine=shown.get("mine", {}),
        tables=[
            (table.id, localize(table.name, lang, meeting.plan.language))
            for table in meeting.tables.values()
        ]
        if pid is not None
        else [],
        seat=meeting.seats.get(pid or "") or request.query_params.get("table", ""),
        ended=ended,
        published=meeting.report.published,
        saved=saved,
        error=strings.error_text(translations, error, params or {}) if error else None,
        retry=RETRY_SECONDS if error == "too_many_new_phones" else None,
        text=text,
        typed_text=typed_text,
        typed_values=typed_values,
        picked=picked,
        hidden=hidden,
        action=_url(request, "plain_post", code),
        reload=_url(request, "plain", code),
        results_url=str(request.url_for("results", code=code).path),
        rules=meeting.rules,
        rules_default=strings.script_strings(translations, (RULES,), lang=lang)[RULES],
    )
    # A form's post must say where it came from (see _same_origin): the page sends its own
    # address to this server, and still none to any other.
    response.headers["referrer-policy"] = "same-origin"
    if token is not None:
        response.set_cookie(
            COOKIE,
            token,
            max_age=COOKIE_SECONDS,
            path=f"/{code}",
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
    return response
