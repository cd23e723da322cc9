"""deploy/ tried for real (deploy/README.md): its compose file read as compose reads it, the
nodes' environment as the server reads it, the systemd unit checked by systemd, and its nginx and
HAProxy configurations run, TLS and all, in front of real nodes on one PostgreSQL and one Redis.

The proxy's upstream is the file's own, with its ports changed: two running nodes and a third
that is down (nothing listens on its port). Through the proxy, over wss, a console and phones
join a meeting and vote. Then one node is stopped as for an upgrade while the phones post notes:
its phones are closed with 1012, come back through the proxy to the other node and resend, and
every note is acked and kept once.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import json
import os
import re
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
import uvicorn
import yaml

from bench.server import Process, app_server, free_port
from bench.swarm import Console, Phone, hang_up
from bench.wire import Closed, Wire
from cluster.helpers import keep_connected, wait_for
from facilitate.settings import Settings

pytestmark = [pytest.mark.cluster, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
HOST = "127.0.0.1"
UPSTREAMS = ("127.0.0.1:8001", "127.0.0.1:8002", "127.0.0.1:8003")  # as in the files
NODES = ("node1", "node2", "node3")  # compose's services
PHONES = 6
START_SECONDS = 15.0
AGENDA = {
    "title": "Bak lastbalansereren",
    "language": "nb",
    "activities": [
        {"id": "poll", "kind": "poll", "title": "Hvor trygg?", "options": ["Trygg", "Utrygg"]},
        {"id": "ideas", "kind": "notes", "title": "Hva mangler?"},
    ],
}


def program(name: str) -> str | None:
    """A binary on PATH, or in /usr/sbin (not on a normal user's PATH), where Debian puts
    nginx and haproxy."""
    found = shutil.which(name)
    if found is None and os.access(f"/usr/sbin/{name}", os.X_OK):
        found = f"/usr/sbin/{name}"
    return found


def changed(text: str, old: str, new: str) -> str:
    """`text` with `old` replaced, which must be there: a test that changed nothing would try
    something other than the file."""
    assert old in text, f"{old!r} is no longer in the file: update test_deploy.py"
    return text.replace(old, new)


# -- The files, read ------------------------------------------------------------------------


def test_compose_runs_three_nodes_on_one_database_and_one_redis() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"postgres", "redis", *NODES, "nginx"}
    for name in NODES:
        node = services[name]
        env = node["environment"]
        assert env["FACILITATE_DATABASE_URL"].startswith("postgresql://facilitate:"), name
        assert env["FACILITATE_DATABASE_URL"].endswith("@postgres:5432/facilitate"), name
        assert env["FACILITATE_REDIS_URL"] == "redis://redis:6379/0", name
        assert env["FACILITATE_MAX_CONNECTIONS_PER_ADDRESS"] == "0", name
        assert set(node["depends_on"]) == {"postgres", "redis"}, name
        assert "ports" not in node, f"{name} is reached through nginx only"
        build = node["build"]
        assert (DEPLOY / build["context"] / build["dockerfile"]).resolve() == DEPLOY / "Dockerfile"
    assert services["postgres"]["environment"]["POSTGRES_DB"] == "facilitate"
    nginx = services["nginx"]
    assert set(nginx["depends_on"]) == set(NODES)
    for volume in nginx["volumes"]:
        source = volume.split(":", 1)[0]
        assert (DEPLOY / source).is_file(), volume
    upstream = (DEPLOY / "nginx-compose.conf").read_text()
    assert re.findall(r"server (\w+):8000 ", upstream) == list(NODES)


def test_dockerfile_copies_what_the_server_reads_next_to_its_package() -> None:
    """Templates, static files and plans are found next to the package (settings.ROOT), so the
    image installs the project editable, from a copy holding them."""
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    settings = Settings()
    for folder in (settings.templates_dir, settings.static_dir, settings.sessions_dir):
        name = folder.relative_to(ROOT)
        assert f"COPY {name} ./{name}\n" in dockerfile
        assert f"!{name}\n" in (DEPLOY / "Dockerfile.dockerignore").read_text()
    assert "RUN pip install -e .\n" in dockerfile
    assert "\nUSER facilitate\n" in dockerfile


def example_environment() -> dict[str, str]:
    lines = (DEPLOY / "cluster.env.example").read_text().splitlines()
    pairs = [line.split("=", 1) for line in lines if line and not line.startswith("#")]
    return {name: value for name, value in pairs}


def test_cluster_env_example_says_what_the_server_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    env = example_environment()
    for name in [name for name in os.environ if name.startswith("FACILITATE_")]:
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings = Settings.from_env()
    assert settings.database_url == env.pop("FACILITATE_DATABASE_URL")
    assert settings.redis_url == env.pop("FACILITATE_REDIS_URL")
    assert settings.public_url == env.pop("FACILITATE_PUBLIC_URL")
    assert settings.admin_token == env.pop("FACILITATE_ADMIN_TOKEN")
    assert settings.max_connections_per_address == int(
        env.pop("FACILITATE_MAX_CONNECTIONS_PER_ADDRESS")
    )
    # Read by uvicorn, which `facilitate serve` runs without a forwarded_allow_ips of its own.
    allowed = env.pop("FORWARDED_ALLOW_IPS")
    assert uvicorn.Config("facilitate.app:create_app").forwarded_allow_ips == allowed
    assert env == {}, "set in the example, read by nothing"


def test_systemd_accepts_the_unit(tmp_path: Path) -> None:
    analyze = program("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    unit = (DEPLOY / "facilitate@.service").read_text()
    # systemd checks that the command exists: this checkout's in place of /opt/facilitate's.
    unit = changed(
        unit, "/opt/facilitate/.venv/bin/facilitate", f"{Path(sys.executable).parent}/facilitate"
    )
    unit = changed(unit, "WorkingDirectory=/opt/facilitate", f"WorkingDirectory={ROOT}")
    assert "--host 127.0.0.1 --port %i" in unit
    instance = tmp_path / "facilitate@8001.service"
    instance.write_text(unit)
    out = subprocess.run([analyze, "verify", str(instance)], capture_output=True, text=True)
    # An unknown or misspelt setting is only a warning ("Unknown key ..., ignoring"), rc 0.
    assert (out.returncode, out.stdout + out.stderr) == (0, "")


# -- TLS and the two running nodes ----------------------------------------------------------


@dataclass
class Edge:
    """Where the proxy listens: plain HTTP (which redirects) and HTTPS."""

    http: int
    https: int

    @property
    def url(self) -> str:
        return f"https://{HOST}:{self.https}"


@dataclass
class Certificate:
    """A self-signed certificate for 127.0.0.1 and a client context that trusts it."""

    cert: Path
    key: Path
    context: ssl.SSLContext

    def pem(self, path: Path) -> Path:
        """Certificate and key in one file, as HAProxy takes them."""
        path.write_text(self.cert.read_text() + self.key.read_text())
        return path


@pytest.fixture
def certificate(tmp_path: Path) -> Certificate:
    openssl = program("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed (for the proxy's test certificate)")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]
        + ["-nodes", "-days", "1", "-subj", f"/CN={HOST}", "-addext", f"subjectAltName=IP:{HOST}"]
        + ["-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    return Certificate(cert, key, ssl.create_default_context(cafile=cert))


@pytest.fixture
def edge() -> Edge:
    return Edge(free_port(), free_port())


@pytest.fixture
def nodes(pg_url: str, redis_url: str, edge: Edge) -> Iterator[list[Process]]:
    """Two nodes on the test's PostgreSQL and Redis, with the proxy's address as their public
    URL and no cap on connections per address (cluster.env.example's settings)."""
    made = [app_server(free_port(), pg_url, core=None, redis=redis_url) for _ in range(2)]
    try:
        for node in made:
            assert node.env is not None
            node.env["FACILITATE_PUBLIC_URL"] = edge.url
            node.start()
        yield made
    finally:
        for node in made:
            node.kill()
            node.close()


def upstreams(text: str, nodes: list[Process]) -> str:
    """The file's upstream servers: the two nodes, and for the third a port nobody listens on."""
    ports = [nodes[0].port, nodes[1].port, free_port()]
    for address, port in zip(UPSTREAMS, ports, strict=True):
        text = changed(text, address, f"{HOST}:{port}")
    return text


# -- Through the proxy ----------------------------------------------------------------------


def request(
    edge: Edge,
    certificate: Certificate,
    method: str,
    path: str,
    body: Any = None,
    key: str | None = None,
) -> tuple[int, Message, bytes]:
    """One HTTPS request through the proxy: status, headers, body (errors are answers too)."""
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    call = urllib.request.Request(edge.url + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(call, timeout=30, context=certificate.context) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def wait_until_proxied(
    edge: Edge, certificate: Certificate, proxy: subprocess.Popen[bytes]
) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        assert proxy.poll() is None, "the proxy exited"
        with contextlib.suppress(OSError):
            if request(edge, certificate, "GET", "/healthz")[0] == 200:
                return
        time.sleep(0.05)
    raise AssertionError("nothing answered /healthz through the proxy")


async def meeting(
    edge: Edge, certificate: Certificate, stopped: Process, code: str, key: str
) -> list[Phone]:
    """Vote, then post notes while `stopped` is stopped; returns the phones once all is acked."""
    console = Console(HOST, edge.https, code, key, tls=certificate.context)
    phones = [Phone(HOST, edge.https, code, tls=certificate.context) for _ in range(PHONES)]
    stop = asyncio.Event()
    keepers: list[asyncio.Task[None]] = []
    try:
        await console.join(timeout=10)
        assert (await console.do("goto", activity="poll")).error is None
        assert (await console.do("open", activity="poll")).error is None
        await asyncio.gather(*(phone.join(timeout=10) for phone in phones))
        votes = await asyncio.gather(
            *(phone.do("vote", activity="poll", choices=["o1"]) for phone in phones)
        )
        assert [vote.error for vote in votes] == [None] * PHONES
        assert (await console.do("goto", activity="ideas")).error is None
        assert (await console.do("open", activity="ideas")).error is None

        keepers = [asyncio.create_task(keep_connected(c, stop)) for c in (console, *phones)]
        # SIGTERM, as for an upgrade: a note while the node stops, and one after it has gone.
        stopping = asyncio.create_task(asyncio.to_thread(stopped.stop))
        for phone in phones:
            phone.send("note", activity="ideas", text=f"{phone.name}: lapp 1")
        await stopping
        for phone in phones:
            phone.send("note", activity="ideas", text=f"{phone.name}: lapp 2")
        await wait_for(lambda: not any(p.outbox for p in phones), 30, "every note's ack")
        return phones
    finally:
        await hang_up(stop, keepers, [console, *phones])


async def handshake(edge: Edge, certificate: Certificate, code: str, origin: str) -> None:
    """A websocket handshake from a page of `origin`, closed at once."""
    wire = await Wire.connect(
        HOST, edge.https, f"/{code}/ws", timeout=10, tls=certificate.context, origin=origin
    )
    wire.close()
    await wire.wait_closed()


def try_the_proxy(edge: Edge, certificate: Certificate, nodes: list[Process]) -> None:
    """Everything a phone and an organiser do, through the proxy, while a node stops."""
    # Plain HTTP only sends browsers to HTTPS.
    plain = http.client.HTTPConnection(HOST, edge.http, timeout=10)
    plain.request("GET", "/healthz")
    redirect = plain.getresponse()
    assert redirect.status == 301
    assert (redirect.getheader("location") or "").startswith(f"https://{HOST}")
    plain.close()

    status, _, body = request(edge, certificate, "POST", "/api/meetings", AGENDA)
    assert status in (200, 201), body
    created = json.loads(body)
    code, key = created["code"], created["facilitator_key"]

    # The Origin check passes for the public address behind TLS, and still refuses others.
    asyncio.run(handshake(edge, certificate, code, edge.url))
    with pytest.raises(Closed, match="403"):
        asyncio.run(handshake(edge, certificate, code, "https://elsewhere.example"))
    # The nodes believe the proxy's X-Forwarded-Proto: the form page's cookie is Secure.
    status, headers, _ = request(edge, certificate, "GET", f"/{code}/plain")
    assert status == 200
    cookies = [c.split("; ") for c in headers.get_all("set-cookie") or []]
    participant = [c for c in cookies if c[0].startswith("participant=")]
    assert len(participant) == 1 and "Secure" in participant[0], cookies

    phones = asyncio.run(meeting(edge, certificate, nodes[0], code, key))

    assert any(phone.joins > 1 for phone in phones), "no phone was on the stopped node"
    notes = [s for phone in phones for s in phone.commands.values() if s.message["type"] == "note"]
    assert [s.error for s in notes] == [None] * 2 * PHONES
    status, _, body = request(edge, certificate, "GET", f"/api/meetings/{code}/record", key=key)
    assert status == 200, body
    record = json.loads(body)
    board = next(x for x in record["activities"] if x["id"] == "ideas")
    stored = Counter(note["text"] for note in [*board["notes"], *board["moderation"]])
    assert stored == Counter(s.message["text"] for s in notes)
    poll = next(x for x in record["activities"] if x["id"] == "poll")
    assert poll["tally"]["voters"] == PHONES
    # One node stopped and one never there: every request still finds the node that runs.
    for _ in range(6):
        assert request(edge, certificate, "GET", "/healthz")[::2] == (200, b"ok")
    for node in nodes:
        assert "Traceback" not in node.output(), node.output()[-3000:]


def end(proxy: subprocess.Popen[bytes]) -> None:
    if proxy.poll() is None:
        proxy.send_signal(signal.SIGTERM)
        try:
            proxy.wait(10)
        except subprocess.TimeoutExpired:
            proxy.kill()
            proxy.wait()


# -- nginx ----------------------------------------------------------------------------------


def nginx_main(site: Path, run: Path) -> str:
    """The main configuration around a site, as Debian's nginx.conf is, with everything nginx
    writes in `run`. Without a `user`, nginx's workers run as nobody when started as root."""
    temp = "\n".join(
        f"    {kind}_temp_path {run / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"daemon off;\nworker_processes 1;\npid {run / 'nginx.pid'};\n"
        "events { worker_connections 1024; }\n"
        f"http {{\n    access_log {run / 'access.log'};\n{temp}\n    include {site};\n}}\n"
    )


@pytest.fixture
def nginx() -> str:
    found = program("nginx")
    if found is None:
        pytest.skip("nginx is not installed (make servers)")
    return found


@contextlib.contextmanager
def nginx_running(nginx: str, site: str, tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    # Its workers (nobody, when this is root) must reach the temp paths: not under pytest's
    # temp dir (root's, 0700) but in a directory of their own.
    run = Path(tempfile.mkdtemp(prefix="facilitate-nginx-"))
    run.chmod(0o755)
    error_log = tmp_path / "nginx-error.log"
    try:
        (run / "site.conf").write_text(site)
        (run / "nginx.conf").write_text(nginx_main(run / "site.conf", run))
        command = [nginx, "-c", str(run / "nginx.conf"), "-p", str(run), "-e", str(error_log)]
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr
        proxy = subprocess.Popen(command, stdin=subprocess.DEVNULL)
        try:
            yield proxy
        except BaseException:
            print(error_log.read_text(errors="replace")[-3000:])
            raise
        finally:
            end(proxy)
    finally:
        shutil.rmtree(run, ignore_errors=True)


def nginx_site(edge: Edge, certificate: Certificate, nodes: list[Process]) -> str:
    site = (DEPLOY / "nginx.conf").read_text()
    # This machine may have no IPv6; the test's addresses are IPv4 loopback anyway.
    site, ipv6 = re.subn(r"\n *listen \[::\]:.*;", "", site)
    assert ipv6 == 2
    site = changed(site, "listen 80;", f"listen {HOST}:{edge.http};")
    site = changed(site, "listen 443 ssl", f"listen {HOST}:{edge.https} ssl")
    site = changed(
        site, "/etc/letsencrypt/live/facilitate.example.org/fullchain.pem", str(certificate.cert)
    )
    site = changed(
        site, "/etc/letsencrypt/live/facilitate.example.org/privkey.pem", str(certificate.key)
    )
    site = changed(
        site, "/etc/nginx/snippets/facilitate-proxy.conf", str(DEPLOY / "facilitate-proxy.conf")
    )
    return upstreams(site, nodes)


def test_nginx_in_front_of_the_nodes(
    nginx: str, edge: Edge, certificate: Certificate, nodes: list[Process], tmp_path: Path
) -> None:
    with nginx_running(nginx, nginx_site(edge, certificate, nodes), tmp_path) as proxy:
        wait_until_proxied(edge, certificate, proxy)
        try_the_proxy(edge, certificate, nodes)


def test_nginx_accepts_the_compose_configuration(nginx: str, tmp_path: Path) -> None:
    """compose's nginx, checked here with the node containers' names as loopback ports."""
    site = (DEPLOY / "nginx-compose.conf").read_text()
    for name in NODES:
        site = changed(site, f"server {name}:8000", f"server {HOST}:{free_port()}")
    site = changed(site, "listen 80;", f"listen {HOST}:{free_port()};")
    site = changed(
        site, "/etc/nginx/snippets/facilitate-proxy.conf", str(DEPLOY / "facilitate-proxy.conf")
    )
    run = tmp_path / "run"
    run.mkdir()
    (run / "site.conf").write_text(site)
    (run / "nginx.conf").write_text(nginx_main(run / "site.conf", run))
    command = [nginx, "-c", str(run / "nginx.conf"), "-p", str(run), "-e", str(run / "error.log")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


# -- HAProxy --------------------------------------------------------------------------------


def haproxy_config(
    edge: Edge, certificate: Certificate, nodes: list[Process], tmp_path: Path
) -> str:
    config = (DEPLOY / "haproxy.cfg").read_text()
    config = changed(config, "bind :80\n", f"bind {HOST}:{edge.http}\n")
    pem = certificate.pem(tmp_path / "haproxy.pem")
    config = changed(
        config,
        "bind :443 ssl crt /etc/haproxy/certs/facilitate.pem",
        f"bind {HOST}:{edge.https} ssl crt {pem}",
    )
    # HAProxy wants about two open files per connection and stops if it can't have them: a
    # test needs few, and a test machine may allow fewer than 40,000.
    config = changed(config, "maxconn 20000", "maxconn 1000")
    # Its log to the test's output, not to a syslog this machine may not run.
    config = changed(config, "log /dev/log local0", "log stderr format raw local0")
    if os.geteuid() != 0:  # chroot and the haproxy user need root
        for line in ("chroot /var/lib/haproxy", "user haproxy", "group haproxy"):
            config = changed(config, f"    {line}\n", "")
    return upstreams(config, nodes)


def test_haproxy_in_front_of_the_nodes(
    edge: Edge, certificate: Certificate, nodes: list[Process], tmp_path: Path
) -> None:
    haproxy = program("haproxy")
    if haproxy is None:
        pytest.skip("haproxy is not installed (make servers)")
    config = tmp_path / "haproxy.cfg"
    config.write_text(haproxy_config(edge, certificate, nodes, tmp_path))
    checked = subprocess.run([haproxy, "-c", "-f", str(config)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    log = tmp_path / "haproxy.log"
    with log.open("wb") as out:
        proxy = subprocess.Popen(
            [haproxy, "-db", "-f", str(config)], stdin=subprocess.DEVNULL, stdout=out, stderr=out
        )
    try:
        wait_until_proxied(edge, certificate, proxy)
        try_the_proxy(edge, certificate, nodes)
    except BaseException:
        print(log.read_text(errors="replace")[-3000:])
        raise
    finally:
        end(proxy)
