"""Client JSON parsed with bounds: nesting depth and integer size are checked before they can cost a stack or a CPU.

Python's parser recurses once per nesting level (20,000 levels end in RecursionError) and converts integers of any
length (4,301 digits end in ValueError): both were 500s with a traceback. Here both are 400 in the one shape.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any

from .errors import WebError

MAX_DEPTH = 32
MAX_INT_DIGITS = 1000  # far past any field of the API; Python refuses over 4,300 (a 500 before)

_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def parse_json_body(raw: bytes) -> Any:
    """The parsed body, or WebError 400 naming what is wrong (encoding, syntax, depth, number size)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise WebError(400, "bad_request", f"Body is not valid UTF-8 (byte {exc.start}): send UTF-8 JSON") from None
    depth = nesting_depth(text)
    if depth > MAX_DEPTH:
        raise WebError(400, "bad_request", f"Body nests {depth} levels deep: at most {MAX_DEPTH} are accepted")
    try:
        return json.loads(text, parse_int=_bounded_int, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise WebError(400, "bad_request", f"Body is not valid JSON ({exc.msg} at position {exc.pos})") from None
    except _Refused as exc:
        raise WebError(400, "bad_request", str(exc)) from None


def nesting_depth(text: str) -> int:
    """The deepest bracket nesting outside strings, counted without recursion (C-speed scans of at most 64 KB)."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    return max(accumulate(_STEP[c] for c in brackets), default=0)


class _Refused(ValueError):
    pass


def _bounded_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise _Refused(f"Body has an integer of {len(digits.lstrip('-'))} digits: at most {MAX_INT_DIGITS} are accepted")
    return int(digits)


def _no_constant(name: str) -> Any:
    raise _Refused(f"Body has {name}, which is not JSON: send a number")
