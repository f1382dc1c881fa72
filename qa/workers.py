"""`qa serve --workers N`: what N uvicorn worker processes need before they start.

Each worker builds its own app from the QA_* environment (web.app:create_app_from_env), so the options given on
the command line are written there first. Each worker has its own IndexHolder polling the CURRENT pointer, so a
hot swap reaches all of them within a second. Rate limits are per process at rate/N and burst/N (the kernel
spreads connections over the workers; a client on one keep-alive connection gets rate/N — see README). Metrics
go to a shared PROMETHEUS_MULTIPROC_DIR that any worker aggregates on /metrics.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from qa.settings import ENV_PREFIX, Settings


def prepare_workers(settings: Settings) -> Path | None:
    """Export the settings for the workers and give them an empty metrics folder; returns the folder if it made
    one (a temporary folder, removed when serving ends), None if PROMETHEUS_MULTIPROC_DIR was given."""
    for key, value in (("INDEX_DIR", settings.index_dir), ("HOST", settings.host), ("PORT", settings.port),
                       ("WORKERS", settings.workers)):
        os.environ[ENV_PREFIX + key] = str(value)
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        path = Path(folder)
        if path.exists():
            for stale in path.glob("*.db"):
                stale.unlink()
        path.mkdir(parents=True, exist_ok=True)
        return None
    path = Path(tempfile.mkdtemp(prefix="qa-metrics-"))
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(path)
    return path


def remove_metrics_folder(path: Path | None) -> None:
    if path is not None:
        shutil.rmtree(path, ignore_errors=True)
