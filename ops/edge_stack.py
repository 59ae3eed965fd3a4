"""The parts `make edge-drill` runs on one machine besides PostgreSQL's primary and gunicorn:
a streaming standby that replays late, PgBouncer in transaction mode, Varnish with the shipped
VCL (ops/varnish), and the editor process (ops/edge_edits.py)."""

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time

from ops.common import AS_POSTGRES, PG_BIN, ROOT, Cluster, as_postgres

VCL_FOLDER = ROOT / "ops" / "varnish"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port, process, what, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} is not listening on {port} after {seconds} s")


def fetch(port, path, headers=None, method="GET"):
    """(status, {lower-case header: value}, body as text) of one request to 127.0.0.1:port;
    status 0 and the error as body when it could not be made."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        body = response.read().decode(errors="replace")
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    except OSError as error:
        return 0, {}, repr(error)
    finally:
        connection.close()


def make_standby(folder, primary, delay):
    """A hot standby of `primary` streaming from it (pg_basebackup -R), applying each
    transaction `delay` after its commit, started."""
    data = folder / "standby"
    as_postgres(
        [PG_BIN / "pg_basebackup", "-h", "127.0.0.1", "-p", primary.port, "-U", "postgres",
         "-D", data, "-R", "-X", "stream", "-c", "fast"]
    )  # fmt: skip
    standby = Cluster(folder, "standby", new=False)
    standby.configure(hot_standby="on", recovery_min_apply_delay=delay)
    standby.start()
    return standby


class PgBouncer:
    """PgBouncer in transaction mode on a free port, as the user postgres (it refuses root),
    with one database name per server: {name: (port, database)}."""

    def __init__(self, folder, servers, pool_size=20):
        self.folder, self.port = folder, free_port()
        self.log = folder / "pgbouncer.log"
        databases = [
            f"{name} = host=127.0.0.1 port={port} dbname={database} user=postgres"
            for name, (port, database) in servers.items()
        ]
        (folder / "userlist.txt").write_text('"postgres" ""\n')
        self.config = folder / "pgbouncer.ini"
        self.config.write_text(
            "[databases]\n" + "\n".join(databases) + "\n\n[pgbouncer]\n"
            f"listen_addr = 127.0.0.1\nlisten_port = {self.port}\nunix_socket_dir =\n"
            f"auth_type = trust\nauth_file = {folder / 'userlist.txt'}\n"
            f"pool_mode = transaction\ndefault_pool_size = {pool_size}\n"
            "max_client_conn = 500\nignore_startup_parameters = extra_float_digits\n"
            f"logfile = {self.log}\npidfile = {folder / 'pgbouncer.pid'}\n"
        )

    def url(self, name):
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def __enter__(self):
        with (self.folder / "pgbouncer.out").open("w") as out:
            self.process = subprocess.Popen(
                [*AS_POSTGRES, "pgbouncer", str(self.config)], stdout=out, stderr=out
            )
        wait_for_port(self.port, self.process, "PgBouncer")
        return self

    def __exit__(self, *exception):
        self.process.terminate()
        self.process.wait(timeout=30)

    def errors(self):
        return [line for line in self.log.read_text().splitlines() if "error" in line.lower()]


class Varnish:
    """varnishd in the foreground with ops/varnish/probono.vcl on a free port, its backends
    the given gunicorn ports (a backends.vcl of its own, first in vcl_path)."""

    def __init__(self, folder, port, backend_ports, probe_host="127.0.0.1"):
        self.folder, self.port = folder, port
        self.workdir = folder / "varnish"
        self.log = folder / "varnishd.log"
        vcl, shipped = folder / "vcl", shipped_vcl(folder)
        vcl.mkdir()
        names = [f"gunicorn_{number}" for number in range(1, len(backend_ports) + 1)]
        backends = "".join(
            f'backend {name} {{ .host = "127.0.0.1"; .port = "{port}"; .probe = healthz; '
            ".first_byte_timeout = 35s; .between_bytes_timeout = 60s; }\n"
            for name, port in zip(names, backend_ports, strict=True)
        )
        (vcl / "backends.vcl").write_text(
            "probe healthz {\n"
            f'    .request = "GET /healthz HTTP/1.1" "Host: {probe_host}" "Connection: close";\n'
            "    .interval = 1s; .timeout = 5s; .window = 3; .threshold = 2; .initial = 2;\n"
            "}\n"
            + backends
            + "sub vcl_init {\n    new gunicorn = directors.round_robin();\n"
            + "".join(f"    gunicorn.add_backend({name});\n" for name in names)
            + "}\n"
        )
        self.command = [
            "varnishd", "-F", "-n", str(self.workdir), "-a", f"127.0.0.1:{port}",
            "-f", str(shipped / "probono.vcl"), "-p", f"vcl_path={vcl}:{shipped}",
            "-s", "malloc,256m",
        ]  # fmt: skip

    def __enter__(self):
        with self.log.open("w") as log:
            self.process = subprocess.Popen(self.command, stdout=log, stderr=subprocess.STDOUT)
        wait_for_port(self.port, self.process, f"varnishd (see {self.log})", seconds=60)
        return self

    def __exit__(self, *exception):
        self.process.terminate()
        self.process.wait(timeout=30)

    def settled_counters(self, *names):
        """Counters once they stopped moving: worker threads add what they counted to the
        shared ones in batches, some only when a connection closes."""
        last = self.counters(*names)
        for _attempt in range(20):
            time.sleep(0.5)
            if (current := self.counters(*names)) == last:
                return current
            last = current
        return last

    def counters(self, *names):
        output = subprocess.run(
            ["varnishstat", "-n", str(self.workdir), "-j", *[f"-f{name}" for name in names]],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        counters = json.loads(output)
        counters = counters.get("counters", counters)
        return {name: counters[name]["value"] for name in names}

    def sick_backends(self):
        output = subprocess.run(
            ["varnishadm", "-n", str(self.workdir), "backend.list", "-j"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        backends = json.loads(output)[3].values()
        return sum(b["type"] == "backend" and b["probe_message"][2] == "sick" for b in backends)


class Editor:
    """The editor process (ops/edge_edits.py), one command at a time."""

    def __init__(self, env, log):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ops.edge_edits"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log.open("w"),
            text=True,
        )
        self.lock = threading.Lock()

    def do(self, op, slug, **fields):
        with self.lock:
            self.process.stdin.write(json.dumps({"op": op, "slug": slug, **fields}) + "\n")
            self.process.stdin.flush()
            answer = json.loads(self.process.stdout.readline() or '{"error": "editor died"}')
        if "error" in answer:
            raise RuntimeError(f"the editor could not {op} {slug}: {answer['error']}")
        return answer

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=30)


def shipped_vcl(folder):
    """A copy of ops/varnish in `folder`: varnishd's child, as the user vcache, may not reach a
    checkout (one made in a `mktemp -d` folder is its owner's alone)."""
    copy = folder / "shipped-vcl"
    if not copy.exists():
        shutil.copytree(VCL_FOLDER, copy)
        for path in [copy, *copy.iterdir()]:
            path.chmod(0o755 if path.is_dir() else 0o644)
    return copy


def reachable_by_varnish(folder):
    """varnishd started as root runs its child as the user vcache, which must reach its
    working directory inside the drill's folder."""
    os.chmod(folder, 0o755)
