"""Briefing QA: the answer of the official who actually said it, cited down to the transcript's lines."""

from .attribution import Briefing, Exchange, Question, Utterance, attribute_speakers
from .errors import QAError, TranscriptError
from .roster import Speaker
from .settings import Settings
from .transcripts import Transcript, Turn, load_transcript, parse_transcript_bytes

__all__ = [
    "Briefing", "Exchange", "Question", "QAError", "Settings", "Speaker", "Transcript", "TranscriptError", "Turn",
    "Utterance", "attribute_speakers", "load_transcript", "parse_transcript_bytes",
]
