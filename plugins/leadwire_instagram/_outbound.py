"""The Instagram messages that carry one leadwire message: texts and quick replies.

Texts are cut at 1000 UTF-8 bytes, not characters: sources disagree on the unit
and Cyrillic takes two bytes a letter, so the stricter reading is the safe one.
Buttons become quick replies on the last part, thirteen at most per message;
more go on follow-up messages with a short prompt.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from leadwire import split_text
from leadwire_meta import shorten

#: The longest text, in UTF-8 bytes.
TEXT_LIMIT_BYTES = 1000
#: Quick replies per message, and the longest title Instagram shows uncut.
QUICK_REPLIES = 13
TITLE_LIMIT = 20

Button = tuple[str, str]


def utf8_size(text: str) -> int:
    """How many bytes *text* takes in UTF-8."""
    return len(text.encode("utf-8"))


def plan_messages(
    text: str, buttons: Sequence[Button], *, prompt: str
) -> list[dict[str, Any]]:
    """The ``message`` objects to send, in order.

    :param prompt: The text of a message that only carries quick replies.
    """
    parts = split_text(text, TEXT_LIMIT_BYTES, measure=utf8_size)
    groups = [
        buttons[start : start + QUICK_REPLIES]
        for start in range(0, len(buttons), QUICK_REPLIES)
    ]

    messages: list[dict[str, Any]] = [{"text": part} for part in parts]
    for index, group in enumerate(groups):
        if index > 0 or not messages:
            messages.append({"text": prompt})
        messages[-1]["quick_replies"] = [
            {
                "content_type": "text",
                "title": shorten(title, TITLE_LIMIT),
                "payload": payload,
            }
            for payload, title in group
        ]
    return messages
