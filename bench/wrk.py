"""Driving wrk (Debian's package) and reading its report."""

import dataclasses
import re
import subprocess
import tempfile
from pathlib import Path

WRK = "/usr/bin/wrk"
THREADS = 2
CONNECTIONS = 16
# Slow pages queue behind two workers; wrk's default of 2 s would count them as errors.
TIMEOUT = "10s"

# Arguments: "fresh" or "same", a nonce, and milliseconds to wait after each response.
# "fresh" gives every request a new URL, so that none can come from the page cache: an
# unknown parameter, which the finder ignores (with a notice) and the detail page never reads.
# A wait lowers the load to a steady rate, for the tail latency at half load.
SCRIPT = """
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end
local fresh, nonce, interval, counter = false, "", 0, 0
function init(args)
  fresh, nonce, interval = args[1] == "fresh", args[2], tonumber(args[3])
end
function delay() return interval end
function request()
  if not fresh then return wrk.format() end
  counter = counter + 1
  local separator = string.find(wrk.path, "?", 1, true) and "&" or "?"
  local tag = nonce .. "-" .. thread_id .. "-" .. counter
  return wrk.format(nil, wrk.path .. separator .. "bench=" .. tag)
end
"""
# Each connection asks for these paths in turn (a Lua table of long strings).
MIX_SCRIPT = """
local paths = {%s}
local counter = 0
function request()
  counter = counter + 1
  return wrk.format(nil, paths[counter %% #paths + 1])
end
"""
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclasses.dataclass
class Result:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx_3xx: int
    socket_errors: int
    max_ms: float = 0.0
    timeouts: int = 0  # requests that got no answer within TIMEOUT

    def as_dict(self):
        return dataclasses.asdict(self)


def run(
    url, duration, *, connections=CONNECTIONS, headers=(), script=None, args=(), timeout=TIMEOUT
):
    """One wrk run: `duration` seconds against `url`, with an optional Lua script."""
    command = [WRK, f"-t{min(THREADS, connections)}", f"-c{connections}", f"-d{duration}s"]
    command += ["--latency", "--timeout", timeout]
    for header in headers:
        command += ["-H", header]
    with tempfile.TemporaryDirectory() as folder:
        if script:
            path = Path(folder, "script.lua")
            path.write_text(script)
            command += ["-s", str(path)]
        command.append(url)
        if script:
            command += ["--", *map(str, args)]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return parse(output)


def run_mix(url, paths, duration, headers=()):
    """wrk on several paths of `url` in turn, for `duration` seconds."""
    table = ", ".join(f"[[{path}]]" for path in paths)
    return run(url, duration, headers=headers, script=MIX_SCRIPT % table)


def milliseconds(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS[unit]


def parse(output):
    def find(pattern, default=None):
        match = re.search(pattern, output, re.MULTILINE)
        if match is None and default is None:
            raise ValueError(f"wrk's output has no {pattern!r}:\n{output}")
        return match.group(1) if match else default

    errors = find(r"Socket errors: (.*)$", "")
    return Result(
        rps=float(find(r"^Requests/sec:\s+([\d.]+)")),
        p50_ms=milliseconds(find(r"^\s+50%\s+(\S+)")),
        p99_ms=milliseconds(find(r"^\s+99%\s+(\S+)")),
        requests=int(find(r"^\s+(\d+) requests in")),
        non_2xx_3xx=int(find(r"Non-2xx or 3xx responses: (\d+)", "0")),
        socket_errors=sum(int(number) for number in re.findall(r"\d+", errors)),
        max_ms=milliseconds(find(r"^\s+Latency\s+\S+\s+\S+\s+(\S+)")),
        timeouts=int(find(r"timeout (\d+)", "0")),
    )
