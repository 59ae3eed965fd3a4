"""`make slow-client-drill`: slow clients against the site as production runs it. gunicorn with
the production settings and three workers, nginx in front with the shipped configuration
(ops/nginx/probono.conf, rendered with free ports and a throwaway certificate), then:

- the front: pages over HTTPS answer (the proxy's X-Forwarded-Proto is believed), plain HTTP is
  redirected, a body over 17 MiB is refused by nginx;
- the attack: connections that send their headers a byte every two seconds, and clients that
  ask for the full CSV export and never read it, for 20 s; meanwhile /healthz and public pages
  must all answer 200, 99 in 100 within a second;
- the long export: gunicorn's worker timeout lowered to 3 s, a client reads the full CSV export
  (5.8 MB, more than the kernel's socket buffers hold) straight from gunicorn, where nginx
  cannot absorb it, slowly, for longer than that; it must get every row.

SLOW_CLIENT_DRILL_MODE=sync points the same clients straight at gunicorn with sync workers,
the setup before the front (it fails); =gthread straight at gunicorn as configured, no front.
"""

import contextlib
import csv
import http.client
import io
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.run import manage, say
from ops.common import (
    ROOT,
    Gunicorn,
    conclude,
    database_url,
    production_env,
    psql,
    recreate_database,
    seed,
)

INITIATIVES = 8000
WORKERS = 3  # as production (WEB_CONCURRENCY)
WORKER_TIMEOUT_S = 3  # GUNICORN_TIMEOUT, far below the slow export's length
SLOW_HEADERS = 150
DRIP_S = 2.0
UNREAD_EXPORTS = 3  # the three, opened again every UNREAD_EVERY_S
UNREAD_EVERY_S = 10
ATTACK_S = 20
BOUND_S = 1.0  # p99 of the probes
PROBE_TIMEOUT_S = 5
PROBES = ["/healthz", "/", "/initiatives/", "/countries/fr/", "/sectors/"]
SLOW_READ = (8192, 0.02)  # bytes per read, seconds between reads: about 400 KB/s
EXPORT = "/initiatives/export.csv"
EXPORT_LINE = re.compile(r'"GET /initiatives/export\.csv HTTP/1\.0" 200 (\d+)')
MODE = os.environ.get("SLOW_CLIENT_DRILL_MODE", "front")
DATABASE = os.environ.get("SLOW_CLIENT_DRILL_DATABASE", "probono_slow_client_drill")
TEMPLATE = ROOT / "ops" / "nginx" / "probono.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
MAIN_CONF = """daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {folder}/nginx-access.log;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/probono.conf;
}}
"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def render(template, values):
    """The template with ${NAME} replaced as envsubst would, for these names only."""
    text = re.sub(r"\$\{(PROBONO_\w+)\}", lambda match: values[match[1]], template)
    if "${" in text:
        raise ValueError("a ${...} in ops/nginx/probono.conf the drill does not know")
    return text


class Nginx:
    """The shipped configuration on free ports, for the length of a `with` block."""

    def __init__(self, folder, upstream_port):
        self.folder, self.http_port, self.port = folder, free_port(), free_port()
        self.certificate, key = folder / "tls.crt", folder / "tls.key"
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
             "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
             "-keyout", key, "-out", self.certificate],
            check=True, capture_output=True,
        )  # fmt: skip
        values = {
            "PROBONO_SERVER_NAME": "localhost 127.0.0.1",
            "PROBONO_UPSTREAM": f"127.0.0.1:{upstream_port}",
            "PROBONO_HTTP_LISTEN": f"127.0.0.1:{self.http_port}",
            "PROBONO_HTTPS_LISTEN": f"127.0.0.1:{self.port}",
            "PROBONO_TLS_CERTIFICATE": str(self.certificate),
            "PROBONO_TLS_CERTIFICATE_KEY": str(key),
        }
        (folder / "probono.conf").write_text(render(TEMPLATE.read_text(), values))
        (folder / "nginx.conf").write_text(MAIN_CONF.format(folder=folder))
        folder.chmod(0o755)  # nginx's workers run as nobody when started by root
        for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (folder / name).mkdir()
            (folder / name).chmod(0o777)
        self.tls = ssl.create_default_context(cafile=self.certificate)

    def __enter__(self):
        command = [NGINX, "-p", str(self.folder), "-c", str(self.folder / "nginx.conf")]
        command += ["-e", str(self.folder / "nginx-error.log")]
        subprocess.run([*command, "-t"], check=True, capture_output=True)
        self.process = subprocess.Popen(command, stderr=subprocess.DEVNULL)
        for _attempt in range(100):
            with contextlib.suppress(OSError):
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            time.sleep(0.1)
        raise RuntimeError(f"nginx did not start; see {self.folder}/nginx-error.log")

    def __exit__(self, *exception):
        self.process.terminate()
        self.process.wait(timeout=30)


class Redis:
    """A Redis of its own on a free port: the page cache the workers share, as in production."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def __enter__(self):
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", ""],
            stdout=subprocess.DEVNULL,
        )
        for _attempt in range(100):
            with contextlib.suppress(OSError):
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def __exit__(self, *exception):
        self.process.terminate()
        self.process.wait(timeout=30)


class Target:
    """Where the clients connect: nginx over TLS, or gunicorn over plain HTTP."""

    def __init__(self, port, tls=None):
        self.port, self.tls = port, tls

    def connect(self, timeout, receive_buffer=None):
        sock = socket.socket()
        if receive_buffer:  # before connecting, so that the window is small from the start
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
        sock.settimeout(timeout)
        sock.connect(("127.0.0.1", self.port))
        return self.tls.wrap_socket(sock, server_hostname="127.0.0.1") if self.tls else sock

    def get(self, path, headers=None, timeout=PROBE_TIMEOUT_S, receive_buffer=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        connection.sock = self.connect(timeout, receive_buffer)
        connection.request("GET", path, headers=headers or {})
        return connection, connection.getresponse()

    def fetch(self, path):
        connection, response = self.get(path)
        response.read()
        connection.close()
        return response


class SlowHeaders(threading.Thread):
    """Slowloris: connections that send a request's headers one byte every DRIP_S seconds and
    never end them; one that the server closes is opened again."""

    def __init__(self, target, stop):
        super().__init__(daemon=True)
        self.target, self.stop = target, stop
        self.opened = self.closed_by_server = 0

    def open(self):
        sock = self.target.connect(timeout=5)
        sock.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n")
        self.opened += 1
        return sock

    def run(self):
        sockets = [self.open() for _number in range(SLOW_HEADERS)]
        while not self.stop.wait(DRIP_S):
            for index, sock in enumerate(sockets):
                try:
                    sock.sendall(b"a")
                except OSError:
                    self.closed_by_server += 1
                    sock.close()
                    with contextlib.suppress(OSError):
                        sockets[index] = self.open()
        for sock in sockets:
            sock.close()


class UnreadExports(threading.Thread):
    """Clients that ask for the full CSV export and never read a byte of it."""

    def __init__(self, target, stop):
        super().__init__(daemon=True)
        self.target, self.stop = target, stop
        self.sockets = []

    def run(self):
        while True:
            for _number in range(UNREAD_EXPORTS):
                with contextlib.suppress(OSError):
                    sock = self.target.connect(timeout=5, receive_buffer=4096)
                    sock.sendall(f"GET {EXPORT} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
                    self.sockets.append(sock)
            if self.stop.wait(UNREAD_EVERY_S):
                break
        for sock in self.sockets:
            sock.close()


def probe(target, stop):
    """(path, status or error, seconds) of each request, one after another, each on a new
    connection, as a reader or a load balancer would. The pages are in the page cache already,
    as on a site that has been up a while: what is measured is the wait for a free worker."""
    results, counter = [], 0
    while not stop.is_set():
        counter += 1
        path = PROBES[counter % len(PROBES)]
        started = time.monotonic()
        try:
            outcome = target.fetch(path).status
        except OSError as error:
            outcome = repr(error)
        results.append((path, outcome, time.monotonic() - started))
        time.sleep(0.1)
    return results


def percentile(values, share):
    values = sorted(values)
    return values[min(len(values) - 1, int(share * len(values)))] if values else 0.0


def attack(target, front=False):
    stop = threading.Event()
    slow, unread = SlowHeaders(target, stop), UnreadExports(target, stop)
    for path in PROBES:
        target.fetch(path)
    slow.start()
    unread.start()
    time.sleep(DRIP_S)  # every slow connection is open
    timer = threading.Timer(ATTACK_S, stop.set)
    timer.start()
    results = probe(target, stop)
    slow.join(timeout=30)
    unread.join(timeout=30)
    seconds = [took for _path, _outcome, took in results]
    failed = [result for result in results if result[1] != 200]
    p50, p99 = percentile(seconds, 0.5), percentile(seconds, 0.99)
    say(
        f"Under attack ({slow.opened} slow-header connections, {slow.closed_by_server} of them "
        f"closed by the server; {len(unread.sockets)} unread exports): {len(results)} probes, "
        f"{len(failed)} failed, p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, "
        f"slowest {max(seconds, default=0) * 1000:.0f} ms"
    )
    failures = [f"{len(failed)} probes failed, e.g. {failed[:3]}"] if failed else []
    if p99 > BOUND_S:
        failures.append(f"p99 {p99:.2f} s over {BOUND_S} s")
    if front and not slow.closed_by_server:
        failures.append("nginx closed no slow-header connection (client_header_timeout)")
    if len(results) < 20:
        failures.append(f"only {len(results)} probes answered in {ATTACK_S} s")
    return failures


def slow_export(target, expected):
    """The full CSV export read slowly: its size, and failures if it is cut short or too quick
    to tell."""
    started = time.monotonic()
    body, error, status = bytearray(), None, None
    try:
        # As nginx would say: the proxy's header, which the front mode's settings believe.
        headers = {"X-Forwarded-Proto": "https"}
        connection, response = target.get(EXPORT, headers, timeout=30, receive_buffer=16384)
        status = response.status
        while chunk := response.read(SLOW_READ[0]):
            body += chunk
            time.sleep(SLOW_READ[1])
        connection.close()
    except (OSError, http.client.HTTPException) as exception:
        error = repr(exception)
    seconds = time.monotonic() - started
    text = body.decode("utf-8-sig", errors="replace")
    rows = max(len(list(csv.reader(io.StringIO(text)))) - 1, 0)
    say(
        f"Slow export straight from gunicorn (worker timeout {WORKER_TIMEOUT_S} s): HTTP {status}, "
        f"{rows} of {expected} rows, {len(body) / 1e6:.1f} MB in {seconds:.1f} s"
        + (f", then {error}" if error else "")
    )
    failures = [] if rows == expected and not error else [f"the slow export got {rows} rows"]
    if seconds < 2 * WORKER_TIMEOUT_S:
        failures.append(f"the slow export took {seconds:.1f} s, too quick to prove anything")
    return len(body), failures


def check_front(nginx):
    """What the shipped configuration promises, through nginx."""
    front, failures = Target(nginx.port, nginx.tls), []
    response = front.fetch("/initiatives/")
    if response.status != 200:
        failures.append(f"/initiatives/ over HTTPS: HTTP {response.status}, not 200")
    plain = Target(nginx.http_port)
    response = plain.fetch("/initiatives/")
    if response.status != 301 or not response.getheader("Location", "").startswith("https://"):
        failures.append(f"plain HTTP: HTTP {response.status}, not a redirect to HTTPS")
    sock = front.connect(timeout=5)
    sock.sendall(b"POST /healthz HTTP/1.1\r\nHost: localhost\r\nContent-Length: 18874368\r\n\r\n")
    if b" 413 " not in sock.recv(200):
        failures.append("a body of 18 MiB was not refused with a 413")
    sock.close()
    return failures


def buffered_exports(log, whole):
    """How many exports gunicorn sent whole to nginx (which asks in HTTP/1.0) although their
    clients read none of it: nginx's temporary files took them. Their links name the host
    without gunicorn's port, so they are a little shorter than the export read straight."""
    return sum(int(size) > 0.99 * whole for size in EXPORT_LINE.findall(log))


def main():
    if MODE not in ("front", "sync", "gthread"):
        sys.exit("SLOW_CLIENT_DRILL_MODE is front, sync or gthread.")
    if MODE == "front" and not Path(NGINX).exists():
        sys.exit("make slow-client-drill needs nginx (apt-get install nginx).")
    folder = Path(tempfile.mkdtemp(prefix="probono-slow-client-drill-"))
    failures = []
    recreate_database(DATABASE)
    env = production_env(database_url(DATABASE), GUNICORN_TIMEOUT=str(WORKER_TIMEOUT_S))
    seconds = seed(env, INITIATIVES)
    manage(env, "collectstatic", "--no-input")
    say(f"Slow-client drill ({MODE}): seeded {INITIATIVES} initiatives in {seconds:.0f} s")
    ((expected,),) = psql(
        DATABASE, "SELECT count(*) FROM initiatives_initiative WHERE status = 'published'"
    )
    if MODE == "sync":  # gunicorn.conf.py with the sync workers it had before; more
        # threads than one would make gunicorn use gthread workers all the same
        env["GUNICORN_CMD_ARGS"] = "--worker-class sync --threads 1"
    if MODE == "front":
        env.update(SECURE_SSL_REDIRECT="true", SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
                   TRUSTED_PROXY_COUNT="1")  # fmt: skip
    with (
        Redis() as redis,
        Gunicorn(
            {**env, "CACHE_URL": redis.url}, folder / "gunicorn.log", workers=WORKERS
        ) as gunicorn,
    ):
        straight = Target(gunicorn.port)
        if MODE == "front":
            with Nginx(folder, gunicorn.port) as nginx:
                failures += check_front(nginx)
                failures += attack(Target(nginx.port, nginx.tls), front=True)
        else:
            failures += attack(straight)
        size, slow_failures = slow_export(straight, int(expected))
        failures += slow_failures
        time.sleep(1)
    log = (folder / "gunicorn.log").read_text()
    if MODE == "front":
        buffered = buffered_exports(log, size)
        say(f"{buffered} unread exports went whole from gunicorn into nginx's buffers")
        if buffered < UNREAD_EXPORTS:
            failures.append("nginx did not take the unread exports whole from gunicorn")
    if timeouts := log.count("WORKER TIMEOUT"):
        failures.append(f"{timeouts} gunicorn worker timeouts")
    conclude("Slow-client drill", folder, failures)


if __name__ == "__main__":
    main()
