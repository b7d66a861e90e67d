"""Keeping secrets out of log records, the HTTP library's included.

httpx logs every request's URL at INFO, and some providers put the credential
in the URL (a Telegram bot token, a Bitrix24 webhook code). Every secret value
that :meth:`leadwire.config.Secret.reveal` hands out is remembered here, and a
filter on the ``httpx`` and ``httpcore`` loggers replaces it with ``***``. The
filter changes no level and adds no handler: what is logged, and where, stays
the application's choice.
"""

from __future__ import annotations

import logging
import threading

__all__ = ["SecretFilter", "redact", "remember"]

#: Values shorter than this are not looked for: they would mangle ordinary text.
MIN_LENGTH = 6

_LOGGERS = ("httpx", "httpcore")
_lock = threading.Lock()
_secrets: frozenset[str] = frozenset()


def remember(value: str) -> None:
    """Look for *value* in log records from now on."""
    global _secrets
    if len(value) < MIN_LENGTH or value in _secrets:
        return
    with _lock:
        first = not _secrets
        _secrets = _secrets | {value}
    if first:
        for name in _LOGGERS:
            logging.getLogger(name).addFilter(SecretFilter())


def redact(text: str) -> str:
    """*text* with every remembered secret replaced by ``***``, longest first."""
    for value in sorted(_secrets, key=len, reverse=True):
        if value in text:
            text = text.replace(value, "***")
    return text


class SecretFilter(logging.Filter):
    """Rewrites a record's message without the remembered secrets."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True
