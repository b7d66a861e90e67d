"""Keeping the bot token, which Telegram puts in every URL, out of error texts.

httpx's own request log line needs nothing here: the token is a revealed
:class:`leadwire.Secret`, and the core replaces revealed secrets in the HTTP
library's log records.
"""

from __future__ import annotations

import re

__all__ = ["REDACTED", "redact"]

REDACTED = "<bot token>"

#: ``/bot<token>/`` in a Bot API URL; the token is the path segment after "bot".
_TOKEN_IN_PATH = re.compile(r"/bot[^/\s\"']+")


def redact(text: str, token: str = "") -> str:
    """Return *text* with the bot token (given or found in a URL) replaced."""
    if token:
        text = text.replace(token, REDACTED)
    return _TOKEN_IN_PATH.sub(f"/bot{REDACTED}", text)
