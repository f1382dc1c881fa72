"""Typed settings read from QA_* environment variables; a bad value names its key."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Mapping

from qa.errors import SettingsError

ENV_PREFIX = "QA_"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    index_dir: Path = field(default_factory=lambda: PROJECT_ROOT / "index")
    transcripts_dir: Path = field(default_factory=lambda: PROJECT_ROOT / "transcripts")
    embedder: str = "e5"
    top_k: int = 3
    host: str = "127.0.0.1"
    port: int = 8000
    max_body_bytes: int = 256 * 1024  # a question and 10 history turns of 2,000 characters, even \u-escaped
    cors_origins: str = ""
    admin_token: str = ""
    max_upload_bytes: int = 10 * 1024 * 1024
    max_concurrency: int = 8
    rate_limit: int = 20
    rate_burst: int = 40
    cache_size: int = 1024
    search_threads: int = 0
    feedback_db: str = ""  # default: var/feedback.sqlite3 beside the index folder (see feedback_path)
    log_questions: int = 1
    log_retention_days: int = 90
    workers: int = 1
    trusted_proxies: str = ""
    body_timeout: float = 10.0
    header_timeout: float = 10.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> "Settings":
        """Defaults, then QA_* variables, then explicit overrides (CLI options win)."""
        environ = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            key = ENV_PREFIX + f.name.upper()
            if key in environ:
                values[f.name] = _convert(key, environ[key], f.type)
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = replace(cls(), **values)
        settings.validate()
        return settings

    @property
    def cors_origin_list(self) -> list[str]:
        return [o.strip() for o in self.cors_origins.split(",") if o.strip()]

    @property
    def feedback_path(self) -> Path:
        """Outside the index folder, whose builds are replaced and pruned: <index_dir>/../var/feedback.sqlite3."""
        if self.feedback_db.strip():
            return Path(self.feedback_db).expanduser()
        return Path(self.index_dir).resolve().parent / "var" / "feedback.sqlite3"

    @property
    def trusted_proxy_list(self) -> list[str]:
        """Addresses whose X-Forwarded-For is believed; none by default, since anyone can send that header."""
        return [p.strip() for p in self.trusted_proxies.split(",") if p.strip()]

    def validate(self) -> None:
        if not 1 <= self.top_k <= 50:
            raise SettingsError(f"{ENV_PREFIX}TOP_K={self.top_k} is out of range: use a whole number from 1 to 50")
        if self.admin_token and len(self.admin_token) < 16:
            raise SettingsError(f"{ENV_PREFIX}ADMIN_TOKEN is too short: use at least 16 random characters, or unset it")
        for key in ("max_concurrency", "rate_limit", "rate_burst", "cache_size", "max_body_bytes", "max_upload_bytes",
                    "search_threads", "log_retention_days"):
            if getattr(self, key) < 0:
                raise SettingsError(f"{ENV_PREFIX}{key.upper()}={getattr(self, key)} is negative: use 0 or more")
        if self.log_questions not in (0, 1):
            raise SettingsError(f"{ENV_PREFIX}LOG_QUESTIONS={self.log_questions} must be 0 (off) or 1 (on)")
        if not 1 <= self.workers <= 64:
            raise SettingsError(f"{ENV_PREFIX}WORKERS={self.workers} is out of range: use 1 to 64 processes")
        for key in ("body_timeout", "header_timeout"):
            if not 0 < getattr(self, key) <= 3600:
                raise SettingsError(f"{ENV_PREFIX}{key.upper()}={getattr(self, key)} is out of range: use seconds, "
                                    "more than 0 and at most 3600")
        if not 0 < self.port < 65536:
            raise SettingsError(f"{ENV_PREFIX}PORT={self.port} is out of range: use a port from 1 to 65535")


def _convert(key: str, raw: str, annotation: object) -> object:
    if annotation in (int, "int"):
        try:
            return int(raw)
        except ValueError:
            raise SettingsError(f"{key}={raw!r} is not a whole number: set it to e.g. {key}=3") from None
    if annotation in (float, "float"):
        try:
            return float(raw)
        except ValueError:
            raise SettingsError(f"{key}={raw!r} is not a number: set it to e.g. {key}=10") from None
    if annotation in (Path, "Path"):
        if not raw.strip():
            raise SettingsError(f"{key} is empty: set it to a directory path or unset it")
        return Path(raw).expanduser()
    return raw
