"""gunicorn as production runs it, for the benchmark."""

import http.client
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
CONFIG = ROOT / "gunicorn.conf.py"
WORKERS = 2
IDLE_S = 0.05  # a worker that answers the plaintext view this fast was idle


class Server:
    """gunicorn as in production, on a free port, for the length of a `with` block."""

    def __init__(self, env, log, workers=WORKERS):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.env, self.log, self.workers = env, log, workers

    def __enter__(self):
        command = [str(GUNICORN), "--config", str(CONFIG), "-w", str(self.workers)]
        command += ["-b", f"127.0.0.1:{self.port}"]
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        for _attempt in range(300):
            try:
                if self.ready():
                    return self
            except OSError:
                pass
            time.sleep(0.1)
        self.__exit__()
        raise RuntimeError(f"gunicorn did not start; see {self.log}")

    def ready(self):
        return self.status({"path": "/bench/plaintext/"}) == 200

    def __exit__(self, *exception):
        self.process.terminate()
        self.process.wait(timeout=60)

    def request(self, path, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            connection.request("GET", path, headers=headers or {})
            response = connection.getresponse()
            response.read()
            return response
        finally:
            connection.close()

    def drain(self):
        """Wait until every worker is idle. When wrk stops, the requests it left queued are
        still served one by one, and would slow down whatever runs next."""
        deadline = time.monotonic() + 300
        with ThreadPoolExecutor(WORKERS) as pool:
            while time.monotonic() < deadline:
                timings = list(pool.map(self.timed, ["/bench/plaintext/"] * WORKERS))
                if max(timings) < IDLE_S:
                    return
        raise RuntimeError("gunicorn's workers are still busy after 5 minutes")

    def timed(self, path):
        started = time.perf_counter()
        self.request(path)
        return time.perf_counter() - started

    def status(self, row):
        headers = {"If-None-Match": row["etag"]} if row.get("etag") else {}
        return self.request(row["path"], headers).status

    def headers(self, path):
        return {name.lower(): value for name, value in self.request(path).getheaders()}

    def memory(self):
        """{pid: (peak RSS, RSS) in MiB} of each worker, the master's children."""
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        memory = {}
        for child in children:
            status = Path(f"/proc/{child}/status").read_text().split("\n")
            fields = dict(line.split(":", 1) for line in status if ":" in line)
            memory[child] = [int(fields[name].split()[0]) / 1024 for name in ("VmHWM", "VmRSS")]
        return memory
