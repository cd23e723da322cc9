"""HTML pages: join, participant, screen, console, start; the QR code."""

from __future__ import annotations

import hmac
import io
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import segno
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)

from facilitate import i18n, network, plans
from facilitate.core import record as records
from facilitate.core.kinds import KINDS
from facilitate.core.process import STEP_LABELS
from facilitate.core.text import PHONE_LANGUAGES, UI_LANGUAGES, localize
from facilitate.export.model import TIMEZONE, moment, zone
from facilitate.meetings import CODE
from facilitate.web import strings
from facilitate.web.assets import ModuleGraph
from facilitate.web.context import (
    TooManyGuesses,
    find_meeting,
    join_urls,
    language,
    public_language,
    state,
)
from facilitate.web.strings import N_

LANG_COOKIE_SECONDS = 180 * 24 * 3600
# The pages participants read speak the phone's languages (PHONE_LANGUAGES) and offer them all;
# the console, the screen, the start and the process pages speak the meetings' (UI_LANGUAGES).
PUBLIC_PAGES = frozenset(
    {"participant.html", "kiosk.html", "join.html", "results.html", "follow.html"}
)


_KIND_NAME = re.compile(r"[a-z][a-z0-9_]*")


def kind_modules(static_dir: Path, names: Iterable[str]) -> dict[str, str]:
    """The front-end module of each kind in `names` that has one, once each and in order:
    `js/kinds/<kind>.js` under the static directory (docs/kinds.md)."""
    found: dict[str, str] = {}
    for name in names:
        path = f"js/kinds/{name}.js"
        if name not in found and _KIND_NAME.fullmatch(name) and (static_dir / path).is_file():
            found[name] = path
    return found


def icon(static_dir: Path) -> str:
    """The page icon as a data: URL, so that no page costs a phone a request for it."""
    path = static_dir / "favicon.svg"
    svg = path.read_text("utf-8") if path.is_file() else ""
    return "data:image/svg+xml," + quote(svg.strip(), safe=" =:/,.()")


def kind_sheets(static_dir: Path, names: Iterable[str]) -> dict[str, str]:
    """The style sheet of each kind that has one: `css/kinds/<kind>.css` under the static
    directory. A kind's styles reach only the pages that draw it, so a phone pays for them only
    when its meeting shows that kind (docs/kinds.md)."""
    found: dict[str, str] = {}
    for name in names:
        path = f"css/kinds/{name}.css"
        if name not in found and _KIND_NAME.fullmatch(name) and (static_dir / path).is_file():
            found[name] = path
    return found


def render(
    request: Request,
    name: str,
    lang: str,
    status: int = 200,
    *,
    script: str | None = None,
    kinds: Iterable[str] = (),
    preload: Iterable[str] | None = None,
    also: tuple[str, ...] = (),
    also_modules: tuple[str, ...] = (),
    **context: Any,
) -> Response:
    """A page in `lang`, with the translated script strings and the language switcher, laid
    out right to left for Arabic and Persian.

    `script` is the page's module and `kinds` the activity kinds it draws: the page lists their
    modules for static/js/kinds.js and preloads every module it will run. With `preload`, it
    preloads only those kinds' modules and marks the list lazy: the page loads the others
    when it first draws one of their activities (the phone, whose first load must stay small).
    `also` names more strings (by prefix, `"tables."`) a page that carries only some needs, and
    `also_modules` more modules its script imports at run time that it needs from the start.
    A kind's style sheet goes with its module: linked in the page when the module is preloaded,
    else listed for static/js/kinds.js to link when it loads the module."""
    translations = state(request)["catalogs"][lang]
    templates = state(request)["templates"]
    offered = PHONE_LANGUAGES if name in PUBLIC_PAGES else UI_LANGUAGES

    def gettext(message: str, **params: Any) -> str:
        text = translations.gettext(message)
        return text % params if params else text

    def ngettext(singular: str, plural: str, n: int, **params: Any) -> str:
        return str(translations.ngettext(singular, plural, n) % {"n": n, **params})

    static_dir = state(request)["settings"].static_dir
    kinds = list(kinds)
    modules = kind_modules(static_dir, kinds)
    sheets = kind_sheets(static_dir, kinds)
    now = [kind for kind in modules if preload is None or kind in preload]
    later = [kind for kind in modules if kind not in now]

    def url(path: str) -> str:
        return str(request.url_for("static", path=path).path)

    graph = templates.env.globals["modules"]
    assert isinstance(graph, ModuleGraph)
    response = templates.TemplateResponse(
        request,
        name,
        {
            "_": gettext,
            "ngettext": ngettext,
            "lang": lang,
            "rtl": lang in i18n.RIGHT_TO_LEFT,
            "languages": {code: i18n.LANGUAGE_NAMES[code] for code in offered},
            # A phone carries the strings of the kinds it draws now; the others come with
            # their modules (static/js/kinds.js).
            "strings": strings.script_strings(
                translations, _with(strings.PAGE_STRINGS.get(name), also), kinds=now, lang=lang
            ),
            "kinds": {kind: url(path) for kind, path in modules.items()},
            "lazy_kinds": preload is not None,
            "preloads": graph(script, *(modules[kind] for kind in now), *also_modules)
            if script
            else [],
            "sheets": [url(sheets[kind]) for kind in now if kind in sheets],
            "later_sheets": {kind: url(sheets[kind]) for kind in later if kind in sheets},
            "later_strings": {
                kind: str(request.url_for("kind_strings", lang=lang, kind=kind).path)
                for kind in later
                if strings.has_own(kind)
            },
            **context,
        },
        status_code=status,
    )
    response.headers["cache-control"] = "no-store"
    if request.query_params.get("lang") in offered:  # kept per phone (or laptop)
        response.set_cookie("lang", lang, max_age=LANG_COOKIE_SECONDS, samesite="lax")
    return response


def _with(only: tuple[str, ...] | None, also: tuple[str, ...]) -> tuple[str, ...] | None:
    return None if only is None else (*only, *also)


def _tables(meeting: Any) -> tuple[str, ...]:
    """The strings a page carries for a meeting with tables."""
    return ("tables.",) if meeting.tables else ()


def _kinds(meeting: Any) -> list[str]:
    return [spec.kind for spec in meeting.plan.activities]


def _current_kind(meeting: Any) -> list[str]:
    """The kind of the activity the phones see now ([] in the lobby): its module comes with the
    page; the others come when their activities are shown (static/js/kinds.js)."""
    if meeting.plan.survey is not None:  # a survey's phones start at its first activity
        return [meeting.plan.activities[0].kind]
    current = meeting.activities.get(meeting.current or "")
    return [current.spec.kind] if current is not None else []


def normalize_code(raw: str) -> str:
    """What people type: "123 456", "123-456", " 123456 " all mean 123456."""
    return re.sub(r"[\s\-.]", "", raw)


async def home(request: Request) -> Response:
    """Where participants type the code."""
    return render(request, "join.html", public_language(request), code="", error=None)


async def join(request: Request) -> Response:
    """The join form's target: to the meeting, or back with a clear message."""
    code = normalize_code(request.query_params.get("code", ""))
    lang = public_language(request)
    translations = state(request)["catalogs"][lang]
    if not CODE.fullmatch(code):
        error = translations.gettext("A meeting code has six digits. Check the screen.")
        return render(request, "join.html", lang, 400, code=code[:20], error=error)
    live = await find_meeting(request, code)
    if live is None:
        error = translations.gettext("No meeting has the code %(code)s. Check the screen.") % {
            "code": code
        }
        return render(request, "join.html", lang, 404, code=code, error=error)
    # A browser without scripts says so (the join form's <noscript> field): the page with plain
    # forms is the one it can take part on (docs/protocol.md, "Plain forms").
    page = "plain" if request.query_params.get("plain") else "participant"
    return RedirectResponse(request.url_for(page, code=code), status_code=303)


async def too_many_guesses(request: Request, exc: Exception) -> Response:
    """429 for an address that tried too many wrong codes: a page, or JSON for the API."""
    assert isinstance(exc, TooManyGuesses)
    lang = public_language(request)
    message = state(request)["catalogs"][lang].gettext(
        "Too many wrong codes from this device. Wait a minute and try again."
    )
    headers = {"retry-after": str(exc.retry_after)}
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, status_code=429, headers=headers)
    response = render(request, "join.html", lang, 429, code="", error=message)
    response.headers.update(headers)
    return response


async def _live_or_404(request: Request) -> Any:
    code = request.path_params["code"]
    live = await find_meeting(request, code)
    return code, live


def no_meeting(request: Request, code: str) -> Response:
    """The join page, 404, saying what is wrong with the code in a meeting's address."""
    lang = public_language(request)
    translations = state(request)["catalogs"][lang]
    if CODE.fullmatch(code):
        error = translations.gettext("No meeting has the code %(code)s. Check the screen.") % {
            "code": code
        }
    else:
        error = translations.gettext("A meeting code has six digits. Check the screen.")
    return render(request, "join.html", lang, 404, code=code[:20], error=error)


async def participant(request: Request) -> Response:
    """A phone in the meeting (the QR code's target)."""
    code, live = await _live_or_404(request)
    if live is None:
        return no_meeting(request, code)
    account = live.meeting.report
    if account.published and account.ended:  # after the meeting the code leads to results
        return await results(request)
    lang = public_language(request, live.meeting.plan.language)
    return render(
        request,
        "participant.html",
        lang,
        script="js/participant.js",
        **_phone(request, code, live.meeting, lang),
    )


def _phone(request: Request, code: str, meeting: Any, lang: str) -> dict[str, Any]:
    """What the phone's page needs of its meeting (the participant page and the kiosk's)."""
    return {
        "kinds": _kinds(meeting),
        "preload": _current_kind(meeting),
        "also": (*_tables(meeting), *(("survey.",) if meeting.plan.survey else ())),
        "also_modules": (
            *(("js/tables.js",) if meeting.tables else ()),
            *(("js/survey.js",) if meeting.plan.survey else ()),
        ),
        "code": code,
        # The plan's title in the phone's language when the plan gives one (`title.ar`).
        "title": localize(meeting.plan.title, lang, meeting.plan.language),
        "meeting_language": meeting.plan.language,
        "results_url": join_urls(request, code)["join"] + "/results",
        "rules": meeting.rules,  # "" for the standard text in the phone's language
    }


# A kiosk (docs/without-a-phone.md): how long without a touch before it asks "Still there?",
# and how long it then counts down before it starts over for the next person. Both can be
# given in the kiosk's address (seconds): `?idle=120&countdown=15`.
KIOSK_IDLE = 60
KIOSK_COUNTDOWN = 10
KIOSK_LIMITS = {"idle": (1, 3600, KIOSK_IDLE), "countdown": (1, 120, KIOSK_COUNTDOWN)}


async def kiosk(request: Request) -> Response:
    """The phone's page for a tablet at a stand: one person after another, each a fresh
    anonymous participant after "Done" or a while without a touch (static/js/kiosk.js). It
    gives nothing a phone cannot take by itself, so it needs no key."""
    code, live = await _live_or_404(request)
    if live is None:
        return Response("No such meeting", status_code=404, media_type="text/plain")
    meeting = live.meeting
    # Each person starts in the meeting's language (or the kiosk's own, from its address),
    # whatever the person before chose: no cookie, no browser preference.
    asked = request.query_params.get("lang")
    lang = asked if asked in PHONE_LANGUAGES else meeting.plan.language
    keep: dict[str, str] = {}  # the kiosk's own settings, kept when it starts over
    table = request.query_params.get("table")
    if table is not None:  # the stand belongs to a table: each person sits there
        if table not in meeting.tables:
            return Response("No such table", status_code=404, media_type="text/plain")
        keep["table"] = table
    timing: dict[str, int] = {}
    for name, (low, high, default) in KIOSK_LIMITS.items():
        raw = request.query_params.get(name)
        if raw is None:
            timing[name] = default
        elif raw.isascii() and raw.isdigit() and low <= int(raw) <= high:
            timing[name] = int(raw)
            keep[name] = raw
        else:
            message = f"{name}: whole seconds from {low} to {high}"
            return Response(message, status_code=400, media_type="text/plain")
    here = str(request.url_for("kiosk", code=code).path)
    phone = _phone(request, code, meeting, lang)
    return render(
        request,
        "kiosk.html",
        lang,
        script="js/kiosk.js",
        **{
            **phone,
            # kiosk.js starts the phone's script once it has made this person's token.
            "also_modules": ("js/participant.js", *phone["also_modules"]),
        },
        idle=timing["idle"],
        countdown=timing["countdown"],
        restart=f"{here}?{urlencode(keep)}" if keep else here,
        lang_query=urlencode(keep) + "&" if keep else "",
    )


async def results(request: Request) -> Response:
    """The public results page, once the facilitator publishes them: printable, no hidden
    notes, nothing personal, and the follow-ups posted since."""
    code, live = await _live_or_404(request)
    lang = public_language(request, live.meeting.plan.language if live else None)
    if live is None or not live.meeting.report.published:
        message = state(request)["catalogs"][lang].gettext(
            "The results of this meeting are not published yet. Try again later."
        )
        return render(request, "join.html", lang, 404, code=code[:20], error=message)
    log = await state(request)["meetings"].log(code)
    shown = records.public(records.build(log))
    fallback = live.meeting.plan.language

    def text(value: dict[str, str]) -> str:
        return localize(value, lang, fallback)

    found = await state(request)["processes"].of_meeting(code)
    return render(
        request,
        "results.html",
        lang,
        script="js/results.js",
        kinds=[activity["kind"] for activity in shown["activities"]],
        also=("tables.",) if any("parts" in a for a in shown["activities"]) else (),
        has_tables=any("parts" in a for a in shown["activities"]),
        code=code,
        follow_url=f"/p/{found.process.id}/follow" if found else None,
        record=shown,
        text=text,
        when=lambda iso, fmt="%d.%m.%Y": _local(iso, fmt),
        urls=join_urls(request, code),
    )


def _local(iso: str | None, fmt: str) -> str:
    at = moment(iso, zone(TIMEZONE))  # the same local time as the minutes
    return at.strftime(fmt) if at else ""


async def screen(request: Request) -> Response:
    """The projector view; its key travels in the URL fragment, never to the server's logs."""
    code, live = await _live_or_404(request)
    if live is None:
        return Response("No such meeting", status_code=404, media_type="text/plain")
    lang = language(request, live.meeting.plan.language)
    return render(
        request,
        "screen.html",
        lang,
        script="js/screen.js",
        kinds=_kinds(live.meeting),
        has_tables=bool(live.meeting.tables),
        code=code,
        urls=join_urls(request, code),
        title=localize(live.meeting.plan.title, lang),
        meeting_language=live.meeting.plan.language,
    )


async def helper(request: Request) -> Response:
    """The helper page, for the input of people without a phone; its key is in the fragment
    and checked over the websocket (docs/protocol.md, "Helpers")."""
    code, live = await _live_or_404(request)
    if live is None:
        return Response("No such meeting", status_code=404, media_type="text/plain")
    lang = language(request, live.meeting.plan.language)
    return render(
        request,
        "helper.html",
        lang,
        script="js/helper.js",
        also=_tables(live.meeting),
        code=code,
        title=localize(live.meeting.plan.title, lang),
        meeting_language=live.meeting.plan.language,
    )


async def console(request: Request) -> Response:
    """The facilitator's console; the key is in the fragment and checked over the websocket."""
    code, live = await _live_or_404(request)
    if live is None:
        return Response("No such meeting", status_code=404, media_type="text/plain")
    lang = language(request, live.meeting.plan.language)
    settings = state(request)["settings"]
    unreachable = not settings.public_url and network.is_local_host(request.url.netloc)
    return render(
        request,
        "console.html",
        lang,
        script="js/console.js",
        kinds=_kinds(live.meeting),
        code=code,
        urls=join_urls(request, code),
        title=localize(live.meeting.plan.title, lang),
        meeting_language=live.meeting.plan.language,
        unreachable=unreachable,
        has_tables=bool(live.meeting.tables),
        process_steps=list(STEP_LABELS.items()),
        lan=[f"http://{a}:{request.url.port or 80}" for a in network.lan_addresses()]
        if unreachable
        else [],
    )


async def tables(request: Request) -> Response:
    """A page to print for the tables: each table's name, its own QR code and address, so that
    a phone that scans it sits at that table (docs/protocol.md, "Tables")."""
    code, live = await _live_or_404(request)
    if live is None or not live.meeting.tables:
        return Response("No such meeting with tables", status_code=404, media_type="text/plain")
    lang = language(request, live.meeting.plan.language)
    meeting = live.meeting
    return render(
        request,
        "tables.html",
        lang,
        code=code,
        title=localize(meeting.plan.title, lang, meeting.plan.language),
        urls=join_urls(request, code),
        tables=[
            (table.id, localize(table.name, lang, meeting.plan.language), table.number)
            for table in meeting.tables.values()
        ],
    )


# The poster's words, said in every language the catalogs hold (docs/without-a-phone.md).
POSTER_HEADING = N_("Take part with your phone")
POSTER_STEPS = (
    N_("Scan the QR code with your phone's camera."),
    N_("Or open the address above in the browser and type the code."),
    N_("No app, no account and no name: your answers are anonymous."),
)
POSTER_SIZES = ("a4", "a3")  # the first is the default


async def poster(request: Request) -> Response:
    """A poster to print for a meeting (A4, or A3 with `?size=a3`): its code, its QR code and
    how to join, in the meeting's language first and then in every other language the catalogs
    hold (the phones' languages). No script: it prints from any browser, and works without
    JavaScript."""
    code, live = await _live_or_404(request)
    if live is None:
        return Response("No such meeting", status_code=404, media_type="text/plain")
    size = request.query_params.get("size", POSTER_SIZES[0])
    if size not in POSTER_SIZES:
        return Response("size: a4 or a3", status_code=400, media_type="text/plain")
    meeting = live.meeting
    # For the meeting's audience: its language unless the address asks for another, whatever
    # the language of the organiser's own browser.
    asked = request.query_params.get("lang")
    lang = asked if asked in UI_LANGUAGES else meeting.plan.language
    urls = join_urls(request, code)
    spaced = f"{code[:3]} {code[3:]}"
    catalogs = state(request)["catalogs"]

    def how_to_join(language: str) -> dict[str, Any]:
        """The poster's words in one language."""
        said = catalogs[language].gettext
        return {
            "lang": language,
            "name": i18n.LANGUAGE_NAMES.get(language, language),
            "rtl": language in i18n.RIGHT_TO_LEFT,
            "heading": said(POSTER_HEADING),
            "steps": [said(step) for step in POSTER_STEPS],
        }

    def says_it(language: str) -> bool:
        """Whether a catalog has the poster's words: one that lacks them would say them in
        English (its fallback) under its own language's name."""
        words = (POSTER_HEADING, *POSTER_STEPS)
        return language == "en" or all(catalogs[language].gettext(w) != w for w in words)

    return render(
        request,
        "poster.html",
        lang,
        code=code,
        spaced=spaced,
        size=size,
        sizes=POSTER_SIZES,
        title=localize(meeting.plan.title, lang, meeting.plan.language),
        urls=urls,
        # The page's language first, then every other one the catalogs hold, in their order.
        blocks=[
            how_to_join(each) for each in sorted(catalogs, key=lambda c: c != lang) if says_it(each)
        ],
        lang_query="" if size == POSTER_SIZES[0] else f"size={size}&",  # kept by the switcher
    )


async def qr(request: Request) -> Response:
    """The join QR code as SVG: the meeting's participant URL."""
    code, live = await _live_or_404(request)
    if live is None:
        return Response("No such meeting", status_code=404, media_type="text/plain")
    buffer = io.BytesIO()
    address = join_urls(request, code)["join"]
    table = request.query_params.get("table")
    if table is not None:  # a table's own code: the phone sits there when it opens it
        if table not in live.meeting.tables:
            return Response("No such table", status_code=404, media_type="text/plain")
        address = f"{address}?table={table}"
        scribe = request.query_params.get("scribe")
        if scribe is not None:  # a scribe's code, only as the console was given it now
            if not hmac.compare_digest(scribe.encode(), live.scribe_code(table).encode()):
                return Response("No such code", status_code=404, media_type="text/plain")
            address = f"{address}&scribe={scribe}"
    segno.make(address, error="m").save(
        buffer, kind="svg", scale=10, border=2, xmldecl=False, svgns=True, title=f"QR {code}"
    )
    return Response(
        buffer.getvalue(), media_type="image/svg+xml", headers={"cache-control": "no-store"}
    )


async def start(request: Request) -> Response:
    """Where a facilitator creates a meeting from a shipped plan or their own agenda."""
    settings = state(request)["settings"]
    lang = language(request)
    shipped = [
        {
            "name": s.name,
            "title": localize(s.plan.title, lang, s.plan.language),
            "description": localize(s.plan.description, lang, s.plan.language),
            "count": len(s.plan.activities),
            "language": s.plan.language,
        }
        for s in plans.available(settings.sessions_dir)
        if s.plan is not None
    ]
    return render(
        request,
        "start.html",
        lang,
        script="js/start.js",
        # Each kind's fields come from its partial (templates/kinds/); a kind is offered when
        # the pages can draw it.
        agenda_kinds=list(kind_modules(settings.static_dir, KINDS)),
        # Kinds whose top items a later activity can take (items_from): the editor lists them.
        giving={name for name, kind in KINDS.items() if kind.gives_items},
        plans=shipped,
        needs_token=bool(settings.admin_token),
        ui_languages=UI_LANGUAGES,
    )


# What browsers and crawlers ask for by themselves. Answered here, these paths are not taken
# for meeting codes (nothing but six digits is one, and only those count as guesses anyway).
ICON_SECONDS = 24 * 3600


async def favicon(request: Request) -> Response:
    """/favicon.ico, which browsers ask for whatever the page links: the SVG icon."""
    return RedirectResponse(
        request.app.url_path_for("static", path="favicon.svg"),
        status_code=301,
        headers={"cache-control": f"public, max-age={ICON_SECONDS}"},
    )


async def touch_icon(request: Request) -> Response:
    """/apple-touch-icon(-precomposed).png: the icon a phone puts on its home screen."""
    return FileResponse(
        state(request)["settings"].static_dir / "apple-touch-icon.png",
        media_type="image/png",
        headers={"cache-control": f"public, max-age={ICON_SECONDS}"},
    )


async def kind_strings(request: Request) -> Response:
    """A kind's own strings in a language, for a page that loads the kind's module later
    (static/js/kinds.js): `/strings/nb/statements.json`."""
    lang, kind = request.path_params["lang"], request.path_params["kind"]
    if lang not in PHONE_LANGUAGES or kind not in KINDS or not strings.has_own(kind):
        return PlainTextResponse("No such strings", status_code=404)
    translations = state(request)["catalogs"][lang]
    found = strings.script_strings(translations, (f"{kind}.",), lang=lang)
    return JSONResponse(found, headers={"cache-control": "no-cache"})


async def robots(request: Request) -> Response:
    """Meetings are private: no search engine should index a code, a page or the results."""
    return PlainTextResponse("User-agent: *\nDisallow: /\n")
