"""The structured answer: its schema, and how the model's text is checked.

The model answers with one JSON object::

    {"reply": "...", "service": "..." | null, "desired_time": "..." | null,
     "comment": "..." | null}

:func:`parse_answer` turns the model's text into an :class:`Answer`, or raises
:class:`Defect` saying why it cannot be used, so that the connector can re-ask
once; the API modules raise the same for refusals, filtered and cut answers.
Nothing the model wrote reaches the engine unchecked: types are validated,
whitespace stripped, empty fields made None.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import attrs

from leadwire import LeadFields

__all__ = [
    "ANSWER_SCHEMA",
    "FORMAT_INSTRUCTION",
    "TOOL_DESCRIPTION",
    "TOOL_NAME",
    "Answer",
    "Defect",
    "empty",
    "filtered",
    "parse_answer",
    "refused",
    "truncated",
]

_NULLABLE_STRING = {"type": ["string", "null"]}

#: The JSON schema of the answer; strict mode needs every key required and no
#: other key allowed.
ANSWER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "reply": {"type": "string", "description": "The message to the client."},
        "service": {**_NULLABLE_STRING, "description": "The service asked for."},
        "desired_time": {
            **_NULLABLE_STRING,
            "description": "The day and time the client wants, as they put it.",
        },
        "comment": {**_NULLABLE_STRING, "description": "Anything else to note."},
    },
    "required": ["reply", "service", "desired_time", "comment"],
    "additionalProperties": False,
}

TOOL_NAME = "answer_client"
TOOL_DESCRIPTION = (
    "Send the reply to the client and note the booking details found so far."
)

#: Added to the system message when the server offers no structured output.
FORMAT_INSTRUCTION = (
    "Answer with one JSON object and nothing else: "
    '{"reply": string, "service": string or null, "desired_time": string or '
    'null, "comment": string or null}. "reply" is your message to the client.'
)

_FENCE = re.compile(r"^```[a-zA-Z]*\s*(.*?)\s*```$", re.DOTALL)
_EMPTY_WORDS = frozenset({"", "null", "none", "n/a", "-", "—"})


class Defect(Exception):
    """Why a completion cannot be used; the message is the re-ask's hint.

    :param reason: A short code for logs and the final error: ``truncated``,
        ``content_filter``, ``refusal``, ``not_json``, ``not_object``,
        ``no_reply``, ``no_choice``.
    :param text: What the model wrote, if anything, to show it on the re-ask.
    """

    def __init__(self, reason: str, hint: str, *, text: str | None = None) -> None:
        self.reason = reason
        self.text = text
        super().__init__(hint)


@attrs.frozen
class Answer:
    """A usable answer: the reply text and, if asked for, the lead fields."""

    text: str
    fields: LeadFields | None


def refused() -> Defect:
    return Defect("refusal", "You declined to answer. Answer the client politely.")


def filtered() -> Defect:
    return Defect(
        "content_filter",
        "Your answer was withheld by the content filter. Answer the client "
        "politely and briefly.",
    )


def truncated(raw: str | None) -> Defect:
    return Defect(
        "truncated", "Your answer was cut off. Answer much shorter.", text=raw
    )


def empty() -> Defect:
    return Defect("no_choice", "Your answer was empty. Answer the client.")


def parse_answer(raw: str | None, *, want_fields: bool) -> Answer:
    """Check the model's text: a plain reply, or the JSON object of the schema."""
    if not want_fields:
        return Answer(_reply_text(raw), None)
    return _structured(raw)


def _reply_text(raw: str | None) -> str:
    text = (raw or "").strip()
    if not text:
        raise Defect("no_reply", "Your answer was empty. Answer the client.")
    return text


def _structured(raw: str | None) -> Answer:
    text = _reply_text(raw)
    fenced = _FENCE.match(text)
    if fenced:  # some local models wrap JSON in a Markdown fence
        text = fenced.group(1)

    try:
        data = json.loads(text)
    except ValueError:
        raise Defect(
            "not_json", "Your answer was not valid JSON.", text=text[:2000]
        ) from None

    if isinstance(data, list) and len(data) == 1:
        data = data[0]  # a lone object wrapped in an array is still that object
    if not isinstance(data, Mapping):
        raise Defect(
            "not_object",
            f"Your answer was a JSON {type(data).__name__}, not an object.",
            text=text[:2000],
        )

    reply = data.get("reply")
    if not isinstance(reply, str) or not reply.strip():
        raise Defect(
            "no_reply", 'Your answer had no text in "reply".', text=text[:2000]
        )

    fields = LeadFields(
        service=_field(data.get("service")),
        desired_time=_field(data.get("desired_time")),
        comment=_field(data.get("comment")),
    )
    return Answer(reply.strip(), fields)


def _field(value: Any) -> str | None:
    """A field's value: a non-empty string, or None for anything else."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    return None if value.lower() in _EMPTY_WORDS else value
