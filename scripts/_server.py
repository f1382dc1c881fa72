"""For the measurement scripts: run `qa serve` on a free 127.0.0.1 port and wait until it answers /healthz."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(index: Path, **env: str) -> tuple[subprocess.Popen, int]:
    port = free_port()
    environment = {**os.environ, **env}
    environment.pop("QA_CRASH_AT", None)
    process = subprocess.Popen([sys.executable, "-m", "qa.cli", "serve", "--index", str(index), "--port", str(port)],
                               cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return process, port


def wait_healthy(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"qa serve on port {port} did not become healthy in {timeout:.0f} s")


@contextlib.contextmanager
def serving(index: Path, **env: str) -> Iterator[str]:
    """The base URL of a healthy server, stopped on exit."""
    process, port = start_server(index, **env)
    try:
        wait_healthy(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
