"""Domain errors: each names the bad value and the fix, and carries the HTTP status that web/ maps it to."""

from __future__ import annotations


class QAError(Exception):
    """Base of every error a user can cause; the CLI prints its message on one line and exits 2."""

    status: int = 400
    code: str = "bad_request"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TranscriptError(QAError):
    """A transcript file that cannot be read or holds no recognisable turns."""

    status = 422
    code = "bad_transcript"


class SettingsError(QAError):
    """An environment variable or option with a value the service cannot use."""

    status = 500
    code = "bad_settings"


class IndexUnavailable(QAError):
    """An index directory that is missing, truncated, foreign or built by another embedder."""

    status = 503
    code = "index_unavailable"


class EmbedderError(QAError):
    """An embedder spec that names no backend or a model that cannot be loaded offline."""

    status = 500
    code = "bad_embedder"


class BadFileName(QAError):
    """A file name with a path separator, a NUL or no transcript suffix: the admin API touches only its own folder."""

    status = 400
    code = "bad_file_name"


class NotFound(QAError):
    status = 404
    code = "not_found"


__all__ = ["QAError", "TranscriptError", "SettingsError", "IndexUnavailable", "EmbedderError", "BadFileName", "NotFound"]
