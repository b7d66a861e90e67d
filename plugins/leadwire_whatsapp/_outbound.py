"""The WhatsApp messages that carry one leadwire message: texts and buttons.

Up to three buttons become interactive reply buttons; more become list
messages of up to ten rows each. A text longer than an interactive body allows
goes first as plain text, followed by a short interactive message holding the
buttons.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from leadwire import split_text
from leadwire_meta import shorten

#: The longest text message body.
TEXT_LIMIT = 4096
#: The longest body of an interactive (buttons or list) message.
INTERACTIVE_BODY_LIMIT = 1024
#: Reply buttons per message, and the longest button title.
REPLY_BUTTONS = 3
BUTTON_TITLE_LIMIT = 20
#: Rows per list message, the longest row title and list button label.
LIST_ROWS = 10
ROW_TITLE_LIMIT = 24
LIST_LABEL_LIMIT = 20

Button = tuple[str, str]


def plan_messages(
    text: str,
    buttons: Sequence[Button],
    *,
    reply_to: str | None,
    prompt: str,
    list_label: str,
) -> list[dict[str, Any]]:
    """The message objects to send, in order, without ``to`` and product fields.

    :param prompt: The body of an interactive message when the text cannot be.
    :param list_label: The label of the button that opens a list.
    """
    parts = split_text(text, TEXT_LIMIT)
    groups = _button_groups(buttons)

    body = prompt
    if groups and parts and len(parts[-1]) <= INTERACTIVE_BODY_LIMIT:
        body = parts.pop()

    as_list = len(buttons) > REPLY_BUTTONS
    messages = [_text_message(part) for part in parts]
    for index, group in enumerate(groups):
        group_body = body if index == 0 else prompt
        messages.append(_interactive_message(group_body, group, list_label, as_list))

    if reply_to and messages:
        messages[0]["context"] = {"message_id": reply_to}
    return messages


def _button_groups(buttons: Sequence[Button]) -> list[Sequence[Button]]:
    if not buttons:
        return []
    if len(buttons) <= REPLY_BUTTONS:
        return [buttons]
    return [
        buttons[start : start + LIST_ROWS]
        for start in range(0, len(buttons), LIST_ROWS)
    ]


def _text_message(body: str) -> dict[str, Any]:
    return {"type": "text", "text": {"preview_url": False, "body": body}}


def _interactive_message(
    body: str, buttons: Sequence[Button], list_label: str, as_list: bool
) -> dict[str, Any]:
    if not as_list:
        action: dict[str, Any] = {
            "buttons": [
                {
                    "type": "reply",
                    "reply": {
                        "id": payload,
                        "title": shorten(title, BUTTON_TITLE_LIMIT),
                    },
                }
                for payload, title in buttons
            ]
        }
        kind = "button"
    else:
        rows = [
            {"id": payload, "title": shorten(title, ROW_TITLE_LIMIT)}
            for payload, title in buttons
        ]
        action = {
            "button": shorten(list_label, LIST_LABEL_LIMIT),
            "sections": [{"rows": rows}],
        }
        kind = "list"

    return {
        "type": "interactive",
        "interactive": {"type": kind, "body": {"text": body}, "action": action},
    }
