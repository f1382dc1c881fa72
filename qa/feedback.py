"""Readers' votes on answers and the log of what people ask, in one SQLite file (WAL) written by one thread.

Why one writer thread: SQLite allows one writer at a time; a queue in front of it turns concurrent requests into
group commits (one fsync for everything waiting) instead of lock contention. A vote is acknowledged only after the
transaction holding it has committed with `synchronous=FULL`, which in WAL mode syncs the log on every commit: an
acknowledged vote survives SIGKILL of the server (the WAL is in the OS already) and a power cut (it is on disk).
Question-log rows ride the same commits but nobody waits for them: asking never waits on the disk.

When the file cannot be written (read-only, disk full, a path that cannot be created) the store says so in
`status()`, votes fail with FeedbackUnavailable (503) and question-log rows are dropped: answering goes on.
"""

from __future__ import annotations

import queue
import sqlite3
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from qa.errors import QAError

VOTES = ("up", "down", "wrong_speaker")

# Numbered migrations: schema version N is MIGRATIONS[:N] applied in order (PRAGMA user_version holds N).
# Append, never edit: a database in the field is at some version and moves forward from there.
MIGRATIONS: list[str] = [
    # 1: votes on answers. The answer is (transcript_id, exchange); speaker and build are kept as they were then.
    """
    CREATE TABLE feedback (
        id            INTEGER PRIMARY KEY,
        created_at    REAL    NOT NULL,             -- unix seconds
        question      TEXT    NOT NULL,
        transcript_id TEXT    NOT NULL,
        exchange      INTEGER NOT NULL,
        speaker       TEXT,
        vote          TEXT    NOT NULL CHECK (vote IN ('up', 'down', 'wrong_speaker')),
        comment       TEXT,
        build         TEXT
    );
    CREATE INDEX feedback_by_answer ON feedback (transcript_id, exchange);
    CREATE INDEX feedback_by_time ON feedback (created_at);
    """,
    # 2: the question log. No client address, no cookie, nothing that identifies who asked.
    """
    CREATE TABLE questions (
        id             INTEGER PRIMARY KEY,
        asked_at       REAL    NOT NULL,            -- unix seconds
        question       TEXT    NOT NULL,
        interpreted_as TEXT,                        -- a follow-up as it was read, else NULL
        found          INTEGER NOT NULL,            -- 1 when the top answer passed the relevance bar
        transcript_id  TEXT,                        -- the top answer, if any
        exchange       INTEGER,
        speaker        TEXT,
        latency_ms     REAL,
        build          TEXT
    );
    CREATE INDEX questions_by_time ON questions (asked_at);
    """,
]

_UNAVAILABLE_WORDS = ("readonly", "read-only", "disk", "full", "unable to open", "i/o", "locked")


class FeedbackUnavailable(QAError):
    """The feedback database cannot be written right now (read-only, disk full, missing folder)."""

    status = 503
    code = "feedback_unavailable"


@dataclass(frozen=True)
class Vote:
    question: str
    transcript_id: str
    exchange: int
    vote: str
    speaker: str | None = None
    comment: str | None = None
    build: str | None = None


@dataclass(frozen=True)
class AskedQuestion:
    question: str
    found: bool
    transcript_id: str | None
    exchange: int | None
    speaker: str | None
    latency_ms: float
    build: str | None
    interpreted_as: str | None = None


class FeedbackStore:
    """Thread-safe. `path` is created (with its folder) on first use; `retention_days` prunes the question log."""

    def __init__(self, path: Path, *, log_questions: bool = True, retention_days: int = 90,
                 queue_limit: int = 10_000, commit_timeout: float = 10.0) -> None:
        self.path = Path(path)
        self.log_questions = log_questions
        self.retention_days = retention_days
        self.commit_timeout = commit_timeout
        self._jobs: queue.Queue = queue.Queue(maxsize=queue_limit)
        self._error: str | None = None
        self._connection: sqlite3.Connection | None = None
        self._opened_at = 0.0
        self._pruned_at = 0.0
        self.dropped = 0
        self._writer = threading.Thread(target=self._run, name="feedback-writer", daemon=True)
        self._writer.start()

    # -- the public API ------------------------------------------------------------------------------------
    def add_vote(self, vote: Vote) -> int:
        """Returns the new row id once it is committed durably; raises FeedbackUnavailable otherwise."""
        if vote.vote not in VOTES:
            raise QAError(f"vote {vote.vote!r} is not one of {', '.join(VOTES)}")
        done: Future = Future()
        sql = ("INSERT INTO feedback (created_at, question, transcript_id, exchange, speaker, vote, comment, build) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        params = (time.time(), vote.question, vote.transcript_id, vote.exchange, vote.speaker, vote.vote, vote.comment,
                  vote.build)
        try:
            self._jobs.put((sql, params, done), timeout=self.commit_timeout)
        except queue.Full:
            raise FeedbackUnavailable("The feedback queue is full: retry in a few seconds") from None
        try:
            return done.result(timeout=self.commit_timeout)
        except TimeoutError:
            raise FeedbackUnavailable("The feedback database did not commit in time: retry in a few seconds") from None

    def log_question(self, asked: AskedQuestion) -> None:
        """Fire and forget: never blocks the answer; dropped (and counted) when the queue is full."""
        if not self.log_questions:
            return
        sql = ("INSERT INTO questions (asked_at, question, interpreted_as, found, transcript_id, exchange, speaker, "
               "latency_ms, build) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        params = (time.time(), asked.question, asked.interpreted_as, int(asked.found), asked.transcript_id,
                  asked.exchange, asked.speaker, round(asked.latency_ms, 2), asked.build)
        try:
            self._jobs.put_nowait((sql, params, None))
        except queue.Full:
            self.dropped += 1

    def status(self) -> dict[str, Any]:
        """For /healthz, which anyone may read: the database's file name only, never where it lives."""
        error = self._error.replace(str(self.path.parent), "…") if self._error else None
        return {"available": self._error is None, "error": error, "file": self.path.name,
                "log_questions": self.log_questions, "dropped_log_rows": self.dropped}

    @property
    def available(self) -> bool:
        return self._error is None

    def flush(self, timeout: float = 10.0) -> None:
        """Wait until everything queued so far has been written (tests, shutdown)."""
        done: Future = Future()
        self._jobs.put((None, None, done))
        try:
            done.result(timeout=timeout)
        except (TimeoutError, Exception):
            pass

    def close(self) -> None:
        self.flush()
        self._jobs.put(None)
        self._writer.join(timeout=10)

    def rows(self, table: str, *, since: float = 0.0, limit: int = 100_000) -> list[dict[str, Any]]:
        """Rows of 'feedback' or 'questions', oldest first, from a reader connection of its own."""
        if table not in ("feedback", "questions"):
            raise ValueError(table)
        column = "created_at" if table == "feedback" else "asked_at"
        with self.reader() as connection:
            cursor = connection.execute(f"SELECT * FROM {table} WHERE {column} >= ? ORDER BY id LIMIT ?", (since, limit))
            return [dict(row) for row in cursor]

    def reader(self) -> "_Reader":
        return _Reader(self.path)

    # -- the writer thread ---------------------------------------------------------------------------------
    def _run(self) -> None:
        try:  # open (and migrate) at once, so that /healthz tells of an unusable path before the first vote
            self._connect()
        except sqlite3.Error as exc:
            self._fail(exc)
        while True:
            try:
                job = self._jobs.get(timeout=60)
            except queue.Empty:
                self._prune()
                continue
            if job is None:
                break
            batch = [job]
            while len(batch) < 512:
                try:
                    more = self._jobs.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    self._jobs.put(None)
                    break
                batch.append(more)
            self._write(batch)
        if self._connection is not None:
            self._connection.close()

    def _write(self, batch: list[tuple]) -> None:
        writes = [job for job in batch if job[0] is not None]
        try:
            connection = self._connect()
            if writes:
                ids = []
                with connection:  # one transaction, one fsync, for everything that was waiting
                    for sql, params, _ in writes:
                        ids.append(connection.execute(sql, params).lastrowid)
                for (_, _, done), row_id in zip(writes, ids):
                    if done is not None:
                        done.set_result(row_id)
            self._error = None
        except sqlite3.Error as exc:
            self._fail(exc)
            for _, _, done in writes:
                if done is not None and not done.done():
                    done.set_exception(FeedbackUnavailable(f"Feedback is unavailable: {self._error}"))
        for sql, _, done in batch:
            if sql is None and done is not None:
                done.set_result(None)
        if time.monotonic() - self._pruned_at > 3600:
            self._prune()

    def _connect(self) -> sqlite3.Connection:
        if self._connection is not None:
            return self._connection
        if time.monotonic() - self._opened_at < 1.0 and self._error is not None:
            raise sqlite3.OperationalError(self._error)
        self._opened_at = time.monotonic()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise sqlite3.OperationalError(f"unable to open database folder {self.path.parent}: {exc.strerror}") from None
        connection = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=5.0)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=FULL")
            migrate(connection)
        except sqlite3.Error:
            connection.close()
            raise
        connection.isolation_level = "DEFERRED"
        self._connection = connection
        return connection

    def _fail(self, exc: sqlite3.Error) -> None:
        self._error = str(exc) or type(exc).__name__
        if self._connection is not None and any(w in self._error.lower() for w in _UNAVAILABLE_WORDS):
            try:
                self._connection.rollback()
            except sqlite3.Error:
                pass

    def _prune(self) -> None:
        self._pruned_at = time.monotonic()
        if self.retention_days <= 0 or self._connection is None:
            return
        try:
            with self._connection:
                self._connection.execute("DELETE FROM questions WHERE asked_at < ?",
                                         (time.time() - self.retention_days * 86400,))
        except sqlite3.Error as exc:
            self._fail(exc)


class _Reader:
    """A short-lived read connection: WAL lets it read while the writer writes."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> sqlite3.Connection:
        if not self.path.exists():
            self.connection = sqlite3.connect(":memory:")
            for script in MIGRATIONS:
                self.connection.executescript(script)
        else:
            self.connection = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=5.0)
        self.connection.row_factory = sqlite3.Row
        return self.connection

    def __exit__(self, *exc: object) -> None:
        self.connection.close()


def migrate(connection: sqlite3.Connection) -> int:
    """Bring the schema to the newest version, one numbered migration per transaction; returns the version.
    The version is read inside each write transaction, so worker processes starting together migrate once."""
    for number, script in enumerate(MIGRATIONS, start=1):
        connection.execute("BEGIN IMMEDIATE")
        try:
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version > len(MIGRATIONS):
                raise sqlite3.OperationalError(f"database schema version {version} is newer than this code "
                                               f"({len(MIGRATIONS)}): upgrade briefing-qa")
            if version < number:
                for statement in _statements(script):
                    connection.execute(statement)
                connection.execute(f"PRAGMA user_version = {number}")
            connection.execute("COMMIT")
        except sqlite3.Error:
            connection.execute("ROLLBACK")
            raise
    return len(MIGRATIONS)


def _statements(script: str) -> Iterator[str]:
    for statement in script.split(";"):
        lines = [line.split("--", 1)[0] for line in statement.splitlines()]
        text = "\n".join(lines).strip()
        if text:
            yield text
