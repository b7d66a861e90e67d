"""How requests to a portal are authorised, and how credentials stay hidden.

An inbound webhook carries its credential in the URL path
(``https://<portal>/rest/<user id>/<code>/``), so that URL is a secret: it is
never logged, never put into an exception, and shown redacted as
``https://<portal>/rest/***/``. An OAuth application would authorise with an
``auth`` token instead; the transport only talks to an :class:`Authorisation`,
so one can be added beside :class:`WebhookAuth` without touching the rest.
"""

from __future__ import annotations

import re
from typing import Any, Protocol
from urllib.parse import urlsplit

import attrs

from leadwire import CredentialsError

__all__ = [
    "Authorisation",
    "WebhookAuth",
    "redact",
    "redact_webhook_url",
]

_WEBHOOK_PATH = re.compile(r"/rest/(\d+)/([A-Za-z0-9_]+)/?")

#: Anything that looks like a webhook path inside a longer text.
_WEBHOOK_IN_TEXT = re.compile(r"/rest/[^/\s\"']+/[^/\s\"']+/")

_HOW_TO_MAKE_ONE = (
    "create an inbound webhook in Bitrix24 (Developer resources > Other > "
    "Inbound webhook) with the crm scope and put its URL, "
    "https://<portal>/rest/<user id>/<code>/, into the environment variable "
    "named in webhook_url"
)


class Authorisation(Protocol):
    """What the transport needs from a way of authorising requests."""

    @property
    def portal(self) -> str:
        """The portal's host name: not a secret, fit for messages."""
        ...

    def endpoint(self, method: str) -> str:
        """The full URL of REST *method*; a secret, never to be shown."""
        ...

    def params(self) -> dict[str, Any]:
        """Parameters every request carries (an OAuth ``auth`` token, say)."""
        ...

    def redacted(self) -> str:
        """The base URL with its credential replaced by ``***``."""
        ...


def redact_webhook_url(url: str) -> str:
    """Return *url* with the webhook's user id and code replaced by ``***``.

    ``https://portal.bitrix24.ru/rest/1/abc123/crm.lead.add.json`` becomes
    ``https://portal.bitrix24.ru/rest/***/``.
    """
    parts = urlsplit(url)
    if not parts.netloc:
        return "***"
    return f"{parts.scheme}://{parts.netloc}/rest/***/"


def redact(text: str) -> str:
    """Replace every webhook path inside *text* by ``/rest/***/``."""
    return _WEBHOOK_IN_TEXT.sub("/rest/***/", text)


@attrs.frozen(repr=False)
class WebhookAuth:
    """Authorisation by an inbound webhook: the credential is in the URL."""

    _base: str

    @classmethod
    def from_url(cls, url: str, *, connector: str = "bitrix24") -> WebhookAuth:
        """Check the shape of a webhook URL; the error never repeats the URL."""
        parts = urlsplit(url.strip())

        if parts.scheme != "https":
            raise CredentialsError(
                "the Bitrix24 webhook URL must start with https:// (the portal "
                f"answers INVALID_REQUEST otherwise); {_HOW_TO_MAKE_ONE}",
                connector=connector,
            )

        match = _WEBHOOK_PATH.fullmatch(parts.path)
        if not parts.netloc or match is None:
            raise CredentialsError(
                "the Bitrix24 webhook URL is not of the expected shape; "
                + _HOW_TO_MAKE_ONE,
                connector=connector,
            )
        return cls(f"https://{parts.netloc}/rest/{match[1]}/{match[2]}/")

    @property
    def portal(self) -> str:
        return urlsplit(self._base).netloc

    def endpoint(self, method: str) -> str:
        return f"{self._base}{method}.json"

    def params(self) -> dict[str, Any]:
        return {}

    def redacted(self) -> str:
        return redact_webhook_url(self._base)

    def __repr__(self) -> str:
        return f"WebhookAuth({self.redacted()})"
