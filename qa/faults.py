"""Fault injection for scripts/crash_safety.py: QA_CRASH_AT=<point> kills the process with SIGKILL at that point.

A no-op unless the variable is set; the points name the moments a crash could hurt (while embedding, while
writing files, around the swap), and every one must leave an index that serves."""

from __future__ import annotations

import os
import signal


def crash_point(name: str) -> None:
    if os.environ.get("QA_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)
