"""The command line: serve a meeting, check plans, export minutes."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from facilitate import __version__, network, plans as shipped, store
from facilitate.core import record as records
from facilitate.core.plan import PlanError, parse_plan
from facilitate.core.text import localize
from facilitate.export import FORMATS as EXPORT_FORMATS
from facilitate.settings import Settings
from facilitate.store.postgres import shown

# Every command that touches the database takes the same option.
DB_OPTION = click.option(
    "--db",
    "db_path",
    default=None,
    help="SQLite database file (default: $FACILITATE_DB or ./facilitate.db), or a "
    "postgresql://user@host:port/name URL (cluster mode; also $FACILITATE_DATABASE_URL).",
)


def database_settings(db: str | None, **overrides: object) -> Settings:
    """Settings with --db taken as a file or, with a scheme (postgresql://), as a URL."""
    if db is not None and "://" in db:
        return Settings.from_env(database_url=db, **overrides)
    return Settings.from_env(db_path=None if db is None else Path(db), **overrides)


# C0 and C1 controls (ESC starts sequences that retitle the window, rewrite the screen or, in
# some terminals, answer back as if typed; 0x9b is a one-byte CSI), line and paragraph
# separators, and the bidi embeddings, overrides and isolates that turn a line around.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: object) -> str:
    """Text for the terminal: what came from a database, a plan or an argument, with every
    control character shown as an escape (`\\x1b`, `\\n`, `\\u202e`) instead of obeyed."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))


def existing_database(db: str | None) -> store.Database:
    """The database a command should read, opened: --db, else $FACILITATE_DATABASE_URL or
    $FACILITATE_DB, else ./facilitate.db. A file must exist already."""
    settings = database_settings(db)
    if settings.database_url is None and not settings.db_path.exists():
        raise click.ClickException(f"no database at {printable(settings.db_path)}")
    try:
        return store.open_database(settings.database)
    except store.Unreachable as exc:
        raise click.ClickException(printable(exc)) from exc


@click.group()
@click.version_option(__version__, prog_name="facilitate")
def cli() -> None:
    """facilitate: live citizen dialogue meetings with phones, a projector and a record."""


@cli.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; 0.0.0.0 lets phones on the hall's network in.",
)
@click.option("--port", default=8000, show_default=True, type=int)
@DB_OPTION
@click.option(
    "--public-url",
    default=None,
    help="The address phones use, e.g. http://192.168.1.20:8000 (QR and join text).",
)
@click.option(
    "--redis",
    "redis_url",
    default=None,
    help="redis://host:port/0: live fan-out between servers sharing a PostgreSQL database "
    "(cluster mode, docs/cluster.md; also $FACILITATE_REDIS_URL).",
)
def serve(
    host: str, port: int, db_path: str | None, public_url: str | None, redis_url: str | None
) -> None:
    """Serve meetings: the start page, phones, screen and console."""
    import uvicorn

    from facilitate import descriptors, runtime
    from facilitate.app import create_app
    from facilitate.core.messages import MAX_MESSAGE_BYTES
    from facilitate.web import gate
    from facilitate.web.protocol import FramesProtocol

    settings = database_settings(db_path, public_url=public_url, redis_url=redis_url)
    check_databases(settings)
    click.echo(f"facilitate {__version__} – database {printable(shown(settings.database))}")
    if low := descriptors.advice(descriptors.raise_limit()):
        click.echo(low)
    for line in start_lines(host, port, settings.public_url, network.lan_addresses()):
        click.echo(line)
    click.echo("Stop with Ctrl+C; start again on the same database and nothing is lost.")
    if not settings.admin_token and not _loopback(host):
        click.echo(
            "Anyone who reaches this server can start meetings on it. Fine on a hall's own "
            "network;\non a shared or public server set FACILITATE_ADMIN_TOKEN (docs/security.md)."
        )
    app = create_app(settings)
    runtime.collector.install()
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="warning",
        # A deadline for request heads and a cap on connections per address (slowloris).
        http=gate.protocol(settings.max_connections_per_address),
        ws=FramesProtocol,
        ws_per_message_deflate=False,
        # A frame a little over the limit gets a clear `too_big` error; one far over, a close.
        ws_max_size=2 * MAX_MESSAGE_BYTES,
        ws_ping_interval=20,
        ws_ping_timeout=30,
        timeout_graceful_shutdown=3,
        # No "server: uvicorn" on every response: it tells a scanner what to try, and a phone
        # on the hall's Wi-Fi pays for it with each file of its first load.
        server_header=False,
    )


def check_databases(settings: Settings) -> None:
    """Exit with a message, not a traceback, when the database or Redis cannot be reached at
    start, or the settings ask for what cannot be (Redis without PostgreSQL)."""
    from facilitate.cluster import relay

    try:
        store.open_database(settings.database).close()
    except store.Unreachable as exc:
        raise click.ClickException(printable(exc)) from exc
    if settings.redis_url is None:
        return
    if settings.database_url is None:
        raise click.ClickException(
            "--redis is for cluster mode, where servers share a PostgreSQL database: "
            "give --db postgresql://user@host:port/name as well (docs/cluster.md)"
        )
    try:
        relay.check(settings.redis_url)
    except relay.RedisUnreachable as exc:
        raise click.ClickException(printable(exc)) from exc


def start_lines(host: str, port: int, public_url: str | None, lan: list[str]) -> list[str]:
    """Where to open the start page and where phones join, the address that works first: the
    public URL, else the hall's network; this laptop's own address (which no phone can reach)
    comes last, for a server only this laptop can see."""
    everywhere = host in ("0.0.0.0", "::")
    local = "127.0.0.1" if everywhere else host
    if public_url:
        base = public_url.rstrip("/")
        return [
            f"Start a meeting:   {base}/start",
            f"Phones join at:    {base}",
            f"On this laptop:    http://{local}:{port}/start",
        ]
    if everywhere and lan:
        lines = [f"Start a meeting:   http://{lan[0]}:{port}/start"]
        lines += [f"Phones join at:    http://{address}:{port}" for address in lan]
        lines.append(f"On this laptop:    http://{local}:{port}/start (phones cannot reach it)")
        return lines
    if everywhere:
        return [
            f"Start a meeting:   http://{local}:{port}/start",
            "No network found: connect this laptop to the hall's Wi-Fi, then restart, "
            "so that phones can reach it.",
        ]
    return [
        f"Start a meeting:   http://{local}:{port}/start",
        "Phones on the hall's network cannot reach this address; use "
        "--host 0.0.0.0 (and --public-url) to let them in.",
    ]


def _loopback(host: str) -> bool:
    """Whether only this machine can reach a server listening on `host`."""
    return host in ("localhost", "::1") or host.startswith("127.")


@cli.group(invoke_without_command=True)
@click.option(
    "--dir",
    "directory",
    default=None,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder of plans (default: the shipped sessions/).",
)
@click.pass_context
def plans(ctx: click.Context, directory: Path | None) -> None:
    """List the shipped meeting plans."""
    if ctx.invoked_subcommand is not None:
        return
    folder = directory or Settings.from_env().sessions_dir
    for item in shipped.available(folder):
        name = printable(item.name)
        if item.plan is None:
            click.echo(f"{name:24} BROKEN: {printable(item.error)}")
        else:
            title = printable(localize(item.plan.title, item.plan.language))
            click.echo(
                f"{name:24} {item.plan.language}  {len(item.plan.activities):2} activities  {title}"
            )


@plans.command("check")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
def plans_check(files: tuple[Path, ...]) -> None:
    """Check plan files; name the field and line of every problem."""
    failed = False
    for file in files:
        path = printable(file)
        try:
            plan = parse_plan(file.read_text("utf-8"))
        except PlanError as exc:
            failed = True
            for problem in exc.problems:
                line = f":{problem.line}" if problem.line else ""
                where = f"{path}{line}: {printable(problem.field)}"
                click.echo(f"{where}: {printable(problem.message)}", err=True)
        except UnicodeDecodeError:
            failed = True
            click.echo(f"{path}: not UTF-8 text", err=True)
        else:
            click.echo(f"{path}: ok ({len(plan.activities)} activities)")
    if failed:
        sys.exit(1)


@cli.command()
@click.option(
    "--plan",
    "plan_name",
    default="folkemote",
    show_default=True,
    help="A shipped plan (see `facilitate plans`).",
)
@click.option("--participants", default=40, show_default=True, type=click.IntRange(1, 2000))
@click.option(
    "--seed",
    default=2014,
    show_default=True,
    type=int,
    help="The same seed makes the same meeting.",
)
@DB_OPTION
@click.option(
    "--url",
    "base_url",
    default="http://127.0.0.1:8000",
    show_default=True,
    help="Where the server runs, for the links printed.",
)
def demo(plan_name: str, participants: int, seed: int, db_path: str | None, base_url: str) -> None:
    """Create a demo meeting full of realistic input, to try the console and every export."""
    from facilitate import demo as demos

    settings = database_settings(db_path)
    try:
        made = demos.create(settings.database, settings.sessions_dir, plan_name, participants, seed)
    except (ValueError, store.Unreachable) as exc:
        raise click.ClickException(printable(exc)) from exc
    code, key, screen = made.created.code, made.created.facilitator_key, made.created.screen_key
    base = base_url.rstrip("/")
    click.echo(
        f"Demo meeting {code}: {printable(made.title)} ({made.participants} simulated phones)"
    )
    click.echo(f"Console:  {base}/{code}/console#key={key}&screen={screen}")
    click.echo(f"Screen:   {base}/{code}/screen#key={screen}")
    click.echo(f"Results:  {base}/{code}/results")
    click.echo(f"Minutes:  facilitate export {code} --format md")


@cli.command()
@click.option(
    "--older-than",
    "days",
    type=click.FloatRange(min=0),
    required=True,
    help="Delete meetings whose last input is older than this many days.",
)
@DB_OPTION
@click.option("--dry-run", is_flag=True, help="Only list what would be deleted.")
def purge(days: float, db_path: str | None, dry_run: bool) -> None:
    """Delete old meetings and their whole record for good.

    Run it when no meeting being purged is live: a running server keeps a meeting it has
    loaded in memory until it restarts.
    """
    import time

    db = existing_database(db_path)
    try:
        codes = db.idle_since(time.time() - days * 86400)
        for code in codes:
            row = db.meeting(code)
            title = printable(row.title) if row else ""
            if not dry_run:
                with store.transaction(db):
                    db.delete_meeting(code)
            click.echo(f"{'would delete' if dry_run else 'deleted'} {printable(code)}  {title}")
        if not dry_run and codes:
            db.compact()  # the deleted text leaves the file, not just the index
    finally:
        db.close()
    click.echo(f"{len(codes)} meeting(s) {'to delete' if dry_run else 'deleted'}", err=True)


@cli.command()
@click.argument("code")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(EXPORT_FORMATS)),
    default="md",
    show_default=True,
    help="md, html (print / save as PDF), docx, xlsx, csv (a zip, one file per activity), "
    "csv-long (every input in one table) or json (the full record).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file instead of standard output.",
)
@DB_OPTION
def export(code: str, fmt: str, output: Path | None, db_path: str | None) -> None:
    """Export a meeting's minutes or record, in the meeting's language."""
    from facilitate import export as exports, i18n

    db = existing_database(db_path)
    try:
        log = [item.event for item in db.events(code)]
    finally:
        db.close()
    if not log:
        raise click.ClickException(f"no meeting with code {code!r} in {printable(db.url)}")
    data = records.build(log)
    gettext = i18n.load_catalogs()[data["meeting"]["language"]].gettext
    result = exports.export(data, fmt, gettext)
    if output:
        output.write_bytes(result)
        click.echo(f"wrote {printable(output)}", err=True)
        return
    binary = not exports.FORMATS[fmt].media_type.startswith(("text/", "application/json"))
    if binary and sys.stdout.isatty():
        name = exports.filename(fmt, data["meeting"]["code"])
        raise click.ClickException(f"{fmt} is a binary file: write it with -o {name}")
    click.echo(result, nl=False)
