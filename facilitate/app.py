"""create_app(settings) builds the ASGI application: routes, lifespan, templates."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.templating import Jinja2Templates

from facilitate import hub, i18n, store
from facilitate.cluster.node import Node
from facilitate.limits import Connections, Newcomers, Throttle
from facilitate.meetings import Meetings
from facilitate.processes import Processes
from facilitate.settings import Settings
from facilitate.web import api, ops, pages, plain, process_api, process_pages, promise_api, ws
from facilitate.web.assets import Assets, Compression, ModuleGraph
from facilitate.web.context import State, TooManyGuesses
from facilitate.web.idempotency import Idempotency
from facilitate.web.security import AllowedHosts, SecurityHeaders


def create_app(settings: Settings | None = None) -> Starlette:
    """The whole application for one database; tests make a fresh one per test."""
    settings = settings or Settings.from_env()
    templates = Jinja2Templates(directory=settings.templates_dir)
    # modules("js/participant.js"): what a page preloads (<link rel="modulepreload">).
    templates.env.globals["modules"] = ModuleGraph(settings.static_dir)
    templates.env.globals["icon"] = pages.icon(settings.static_dir)
    # A page's data blocks (`|tojson`) as UTF-8 and without spaces: "møte" or "اجتماع" costs a
    # phone two bytes a letter, not six ("\u00f8"). Still safe in a <script>: Jinja escapes
    # <, >, & and ' after encoding.
    templates.env.policies["json.dumps_kwargs"] = {
        "sort_keys": True,
        "ensure_ascii": False,
        "separators": (",", ":"),
    }
    catalogs = i18n.load_catalogs()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[State]:
        db = store.open_database(settings.database)
        writer = store.Writer(db)
        writer.settling = hub.corked  # the acks of one commit: one write a connection
        meetings = Meetings(writer, settings)
        if settings.database_url is not None:  # cluster mode, even a cluster of one
            from facilitate.store.postgres import PooledReads  # psycopg only when it is used

            reads = PooledReads(settings.database_url)
            await reads.open()
            meetings.reads = reads
            meetings.cluster = Node(meetings, settings.redis_url)
            await meetings.cluster.start()
        sweeper = asyncio.get_running_loop().create_task(meetings.sweep())
        try:
            yield {
                "settings": settings,
                "templates": templates,
                "meetings": meetings,
                "processes": Processes(writer),
                "catalogs": catalogs,
                "guesses": Throttle(settings.wrong_codes_per_minute),
                "connections": Connections(settings.max_connections_per_address),
                "newcomers": Newcomers(settings.new_phones_burst, settings.new_phones_per_second),
                "creations": Throttle(settings.meetings_per_address_per_hour, window=3600.0),
                "idempotency": Idempotency(),
            }
        finally:
            sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sweeper
            if meetings.cluster is not None:
                await meetings.cluster.close()
            await meetings.reads.close()
            await meetings.close()
            writer.close()
            db.close()

    routes = [
        Route("/", pages.home, name="home"),
        Route("/join", pages.join, name="join"),
        Route("/start", pages.start, name="start"),
        Route("/healthz", ops.health, name="health"),
        Route("/metrics", ops.metrics, name="metrics"),
        Route("/favicon.ico", pages.favicon, name="favicon"),
        Route("/apple-touch-icon.png", pages.touch_icon, name="touch_icon"),
        Route("/apple-touch-icon-precomposed.png", pages.touch_icon, name="touch_icon_old"),
        Route("/robots.txt", pages.robots, name="robots"),
        Route("/strings/{lang}/{kind}.json", pages.kind_strings, name="kind_strings"),
        Route("/api/meetings", api.create_meeting, methods=["POST"], name="create_meeting"),
        Route("/api/meetings/{code}", api.delete_meeting, methods=["DELETE"], name="delete"),
        Route("/api/meetings/{code}/record", api.record, name="record"),
        Route("/api/meetings/{code}/scribes", api.scribes, name="scribes"),
        Route("/api/meetings/{code}/helper", api.helper, name="helper_key"),
        Route("/api/meetings/{code}/minutes.{fmt}", api.minutes, name="minutes"),
        Route("/api/meetings/{code}/promise.{fmt}", promise_api.meeting_promise, name="promise"),
        Route("/api/meetings/{code}/process", process_api.meeting_process, name="meeting_process"),
        Route(
            "/api/processes", process_api.create_process, methods=["POST"], name="create_process"
        ),
        Route("/api/processes/{id}", process_api.get_process, name="process"),
        Route(
            "/api/processes/{id}/meetings",
            process_api.join_meeting,
            methods=["POST"],
            name="join_process",
        ),
        Route(
            "/api/processes/{id}/meetings/{code}",
            process_api.move_meeting,
            methods=["PATCH"],
            name="move_meeting",
        ),
        Route(
            "/api/processes/{id}/followups",
            process_api.add_followup,
            methods=["POST"],
            name="add_followup",
        ),
        Route(
            "/api/processes/{id}/followups/import",
            process_api.import_followups,
            methods=["POST"],
            name="import_followups",
        ),
        Route(
            "/api/processes/{id}/followups/{item}",
            process_api.update_followup,
            methods=["PATCH"],
            name="update_followup",
        ),
        Route(
            "/api/processes/{id}/promise.{fmt}", promise_api.process_promise, name="process_promise"
        ),
        Route("/p/{id}", process_pages.organiser, name="process_page"),
        Route("/p/{id}/follow", process_pages.follow, name="follow"),
        Mount("/static", Assets(directory=settings.static_dir), name="static"),
        Route("/{code}", pages.participant, name="participant"),
        Route("/{code}/results", pages.results, name="results"),
        Route("/{code}/screen", pages.screen, name="screen"),
        Route("/{code}/console", pages.console, name="console"),
        Route("/{code}/helper", pages.helper, name="helper"),
        Route("/{code}/plain", plain.page, methods=["GET"], name="plain"),
        Route("/{code}/plain", plain.post, methods=["POST"], name="plain_post"),
        Route("/{code}/plain/saved", plain.saved, name="plain_saved"),
        Route("/{code}/qr.svg", pages.qr, name="qr"),
        Route("/{code}/tables", pages.tables, name="tables"),
        Route("/{code}/kiosk", pages.kiosk, name="kiosk"),
        Route("/{code}/poster", pages.poster, name="poster"),
        WebSocketRoute("/{code}/ws", ws.meeting_socket, name="ws"),
    ]
    return Starlette(
        exception_handlers={TooManyGuesses: pages.too_many_guesses},
        debug=settings.debug,
        routes=routes,
        lifespan=lifespan,
        # Compression inside: it buffers a response's start until its body is known, and the
        # security headers go on whichever encoding it chose.
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(AllowedHosts, public_url=settings.public_url, catalogs=catalogs),
            Middleware(Compression, static_path="/static"),
        ],
    )
