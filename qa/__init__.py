"""Briefing QA: the answer of the official who actually said it, cited down to the transcript's lines."""

from qa.speakers.attribution import Briefing, Exchange, Question, Utterance, attribute_speakers
from qa.errors import QAError, TranscriptError
from qa.speakers.roster import Speaker
from qa.settings import Settings
from qa.ingest.transcripts import Transcript, Turn, load_transcript, parse_transcript_bytes

__all__ = [
    "Briefing", "Exchange", "Question", "QAError", "Settings", "Speaker", "Transcript", "TranscriptError", "Turn",
    "Utterance", "attribute_speakers", "load_transcript", "parse_transcript_bytes",
]
