"""Keeping the bot token, which Telegram puts in every URL, out of text and logs."""

from __future__ import annotations

import logging
import re

__all__ = ["REDACTED", "install_log_redaction", "redact"]

REDACTED = "<bot token>"

#: ``/bot<token>/`` in a Bot API URL; the token is the path segment after "bot".
_TOKEN_IN_PATH = re.compile(r"/bot[^/\s\"']+")


def redact(text: str, token: str = "") -> str:
    """Return *text* with the bot token (given or found in a URL) replaced."""
    if token:
        text = text.replace(token, REDACTED)
    return _TOKEN_IN_PATH.sub(f"/bot{REDACTED}", text)


class _TokenFilter(logging.Filter):
    """Rewrites a record's arguments so a Bot API URL is logged without its token."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and any(
            "/bot" in str(arg) for arg in record.args
        ):
            record.args = tuple(
                redact(str(arg)) if "/bot" in str(arg) else arg for arg in record.args
            )
        return True


_FILTER = _TokenFilter()


def install_log_redaction() -> None:
    """Redact bot tokens in httpx's request log line.

    httpx logs every request's full URL at INFO, and a Bot API URL holds the
    token. This adds a filter to httpx's logger (once); it changes neither
    levels nor handlers, so it configures nothing.
    """
    httpx_logger = logging.getLogger("httpx")
    if _FILTER not in httpx_logger.filters:
        httpx_logger.addFilter(_FILTER)
