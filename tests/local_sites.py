"""Web sites on loopback addresses (127.0.0.2, 127.0.0.3...: each a host of its own for the link
checker), answering by path, and the Wayback Machine's two APIs; every request is recorded with
the time the server received it."""

import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

SLOW_FOR = 1.5


@dataclass
class Hit:
    host: str
    method: str
    path: str
    at: float
    headers: dict
    body: str = ""


@dataclass
class Sites:
    hosts: list
    wayback: str
    canary: str
    refused: str
    hits: list = field(default_factory=list)
    # Original address -> (address of the copy, its 14-digit timestamp).
    snapshots: dict = field(default_factory=dict)
    canary_up: bool = True
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, host_index, path):
        return f"{self.hosts[host_index]}{path}"

    def requests_to(self, base):
        host = urlsplit(base).netloc
        return [hit for hit in self.hits if hit.host == host]

    def forget(self):
        with self.lock:
            self.hits.clear()
        self.snapshots.clear()
        self.canary_up = True


class Handler(BaseHTTPRequestHandler):
    sites = None  # set on each server's own subclass

    def log_message(self, format, *args):
        pass

    def record(self, body=""):
        hit = Hit(
            f"{self.server.server_address[0]}:{self.server.server_address[1]}",
            self.command,
            self.path,
            time.monotonic(),
            dict(self.headers),
            body,
        )
        with self.sites.lock:
            self.sites.hits.append(hit)

    def answer(self, status, headers=(), body=b""):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    body = ""

    def do_HEAD(self):
        self.record()
        self.respond()

    def do_GET(self):
        self.record()
        self.respond()

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.body = self.rfile.read(length).decode()
        self.record(self.body)
        self.respond()

    def respond(self):
        path = urlsplit(self.path).path
        if path == "/canary" and not self.sites.canary_up:
            self.close_connection = True  # no answer at all, as when offline
            return
        if path == "/wayback/available":
            return self.availability()
        if path == "/save":
            return self.save()
        page = PAGES.get(path)
        if page is None:
            return self.answer(404)
        page(self)

    def availability(self):
        url = parse_qs(urlsplit(self.path).query).get("url", [""])[0]
        found = self.sites.snapshots.get(url)
        closest = {}
        if found:
            address, timestamp = found
            closest = {
                "closest": {
                    "available": True,
                    "url": address,
                    "timestamp": timestamp,
                    "status": "200",
                }
            }
        self.json({"archived_snapshots": closest})

    def save(self):
        if not self.headers.get("Authorization", "").startswith("LOW "):
            return self.json({"status": "error", "message": "You need to be logged in."}, 401)
        url = parse_qs(self.body).get("url", [""])[0]
        self.json({"url": url, "job_id": f"spn2-{abs(hash(url))}"})

    def json(self, data, status=200):
        self.answer(status, [("Content-Type", "application/json")], json.dumps(data).encode())


def live(handler):
    handler.answer(200, [("Content-Type", "text/html")], b"<p>Here.</p>")


def no_head(handler):
    if handler.command == "HEAD":
        return handler.answer(405, [("Allow", "GET")])
    live(handler)


def redirect_here(handler):
    handler.answer(301, [("Location", "/live")])


def redirect_away(handler):
    handler.answer(302, [("Location", f"{handler.sites.hosts[1]}/live")])


def slow(handler):
    time.sleep(SLOW_FOR)
    live(handler)


PAGES = {
    "/live": live,
    "/canary": lambda handler: handler.answer(204),
    "/no-head": no_head,
    "/redirect": redirect_here,
    "/redirect-away": redirect_away,
    "/gone": lambda handler: handler.answer(410),
    "/forbidden": lambda handler: handler.answer(403),
    "/slow": slow,
}


def free_port(address):
    with socket.socket() as probe:
        probe.bind((address, 0))
        return probe.getsockname()[1]


def start(host_count=5):
    """Sites on 127.0.0.2 onwards, the Wayback Machine and the canary on addresses of their own,
    and an address where nothing listens. Returns (Sites, stop)."""
    addresses = [f"127.0.0.{number}" for number in range(2, host_count + 4)]
    servers, bases = [], []
    sites = Sites(hosts=[], wayback="", canary="", refused="")
    handler = type("SiteHandler", (Handler,), {"sites": sites})
    for address in addresses:
        server = ThreadingHTTPServer((address, 0), handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        servers.append(server)
        bases.append(f"http://{address}:{server.server_address[1]}")
    sites.hosts, sites.wayback, sites.canary = bases[:host_count], bases[-2], f"{bases[-1]}/canary"
    quiet = "127.0.0.250"
    sites.refused = f"http://{quiet}:{free_port(quiet)}"

    def stop():
        for server in servers:
            server.shutdown()
            server.server_close()

    return sites, stop
