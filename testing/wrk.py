"""Load from wrk: a Lua script that rotates over a list of paths and prints a JSON
summary at the end, and the summary read back as requests/s, latencies and errors.

Used by bench/run.py (the measurements) and tests/security/test_load.py (load held
without errors or memory growth).
"""

from __future__ import annotations

import json
import re
import secrets
import subprocess
from pathlib import Path

LUA = r"""
local paths = {%(paths)s}
local headers = {%(headers)s}
local unique = %(unique)s
local counter = 0
local thread_id = 0
init = function(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
  counter = math.random(#paths)
  thread_id = math.random(1000000000)
end
request = function()
  counter = counter + 1
  local path = paths[(counter %% #paths) + 1]
  if unique then
    path = path .. "&n=" .. thread_id .. "-" .. counter
  end
  return wrk.format("GET", path, headers)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\nRESULT {"requests": %%d, "duration_us": %%d, "bytes": %%d, "connect": %%d, ' ..
    '"read": %%d, "write": %%d, "status": %%d, "timeout": %%d, "p50_us": %%d, ' ..
    '"p90_us": %%d, "p99_us": %%d, "max_us": %%d, "mean_us": %%.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write,
    e.status, e.timeout, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, latency.mean))
end
"""


def lua_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def run_wrk(
    base_url: str,
    paths: list[str],
    *,
    duration: int,
    connections: int,
    threads: int,
    workdir: Path,
    cookie: str = "",
    unique: bool = False,
    request_timeout: int = 10,
) -> dict:
    """`duration` seconds of load over `paths`, as a reader behind the production proxy
    (HTTPS). `unique` gives each request a parameter no cache has seen (&n=...)."""
    headers = {"X-Forwarded-Proto": "https"}
    if cookie:
        headers["Cookie"] = cookie
    script = workdir / f"wrk-{secrets.token_hex(4)}.lua"
    script.write_text(
        LUA
        % {
            "paths": ", ".join(lua_string(p) for p in paths),
            "unique": "true" if unique else "false",
            "headers": ", ".join(
                f"[{lua_string(k)}] = {lua_string(v)}" for k, v in headers.items()
            ),
        }
    )
    command = [
        "wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s",
        "--timeout", f"{request_timeout}s", "-s", str(script), base_url,
    ]  # fmt: skip
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    match = re.search(r"^RESULT (\{.*\})$", out, re.M)
    if not match:
        raise RuntimeError(f"wrk printed no result:\n{out}")
    raw = json.loads(match.group(1))
    seconds = raw["duration_us"] / 1e6
    detail = {k: raw[k] for k in ("connect", "read", "write", "status", "timeout")}
    return {
        "requests": raw["requests"],
        "rps": round(raw["requests"] / seconds, 1),
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p90_ms": round(raw["p90_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "max_ms": round(raw["max_us"] / 1000, 2),
        "errors": sum(detail.values()),
        "error_detail": detail,
        "kib_per_request": round(raw["bytes"] / max(1, raw["requests"]) / 1024, 1),
    }
