"""Client JSON parsed with bounds: nesting depth and integer size are checked before they can cost a stack or a CPU.

Python's parser recurses once per nesting level (20,000 levels end in RecursionError) and converts integers of any
length (4,301 digits end in ValueError): both were 500s with a traceback. Here both are 400 in the one shape.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any, TypeVar

from fastapi import Request
from pydantic import BaseModel, ValidationError

from .errors import WebError

Model = TypeVar("Model", bound=BaseModel)


def inline_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON Schema with its nested models written in place, for a route that reads its own body (so
    FastAPI lists no component for them): a $ref to a missing component made the schema unreadable to clients."""
    schema = model.model_json_schema(ref_template="{model}")
    defs = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            if node.get("$ref") in defs:  # the model, with what the field adds to it (its description)
                return {**resolve(defs[node["$ref"]]), **{k: resolve(v) for k, v in node.items() if k != "$ref"}}
            return {k: resolve(v) for k, v in node.items()}
        return [resolve(v) for v in node] if isinstance(node, list) else node

    return resolve(schema)


async def read_json(request: Request, model: type[Model]) -> Model:
    """The request's JSON body as the model: 415 unless it is application/json, 400 for what parse_json_body refuses,
    422 (the validation shape) for a field that is wrong — the same contract on every JSON endpoint."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise WebError(415, "unsupported_media_type",
                       f"Content-Type {content_type or '(none)'} is not supported: send application/json")
    payload = parse_json_body(await request.body())
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        from fastapi.exceptions import RequestValidationError

        raise RequestValidationError(exc.errors()) from None

MAX_DEPTH = 32
MAX_INT_DIGITS = 1000  # far past any field of the API; Python refuses over 4,300 (a 500 before)

# A JSON string; possessive, and an unclosed one runs to the end of the text, so a failed match never makes the scan
# start again at every escaped quote inside it (that was quadratic: 40 KB of \" held the event loop for 10 s).
_STRING = re.compile(r'"[^"\\]*+(?:\\.[^"\\]*+)*+(?:"|\\?\Z)', re.S)
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
