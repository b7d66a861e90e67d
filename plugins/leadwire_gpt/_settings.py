"""The settings table of the ``gpt`` connector."""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlsplit

import attrs

from leadwire import Secret

__all__ = ["OPENAI_HOST", "GptSettings"]

#: The host of OpenAI's own API; any other host is an OpenAI-compatible server.
OPENAI_HOST = "api.openai.com"

Structured = Literal["json_schema", "tool", "none"]
Api = Literal["chat_completions", "responses"]


def _http_url(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(
            f"{attribute.name} must be an http(s) URL such as "
            "https://api.openai.com/v1 or http://localhost:11434/v1"
        )
    if parts.username or parts.password:
        raise ValueError(
            f"{attribute.name} must not carry credentials; "
            'use api_key = "env:NAME" instead'
        )


def _positive(
    instance: object, attribute: attrs.Attribute[float], value: float
) -> None:
    if value <= 0:
        raise ValueError(f"{attribute.name} must be greater than 0, got {value}")


def _temperature(
    instance: object, attribute: attrs.Attribute[float | None], value: float | None
) -> None:
    if value is not None and not 0 <= value <= 2:
        raise ValueError(f"temperature must be between 0 and 2, got {value}")


@attrs.frozen
class GptSettings:
    """How to reach the model.

    :param base_url: The API root, up to and including ``/v1``.
    :param model: The model name the server knows.
    :param api_key: ``"env:NAME"``; required by OpenAI, ignored by most local
        servers, so it may be left out for them.
    :param temperature: Sampling temperature; left out of the request when
        unset, so the model's default applies (some models accept no other).
    :param max_tokens: The longest answer, in tokens.
    :param timeout_seconds: How long one HTTP request may take.
    :param budget_seconds: How long one reply may take, retries and waits
        included; the engine answers with its fallback after that.
    :param max_attempts: HTTP tries per request, the first one included.
    :param store: Whether OpenAI may keep the completion; off by default.
    :param structured: How the answer's JSON is asked for: ``json_schema``
        (strict structured output), ``tool`` (a forced function call) or
        ``none`` (the format described in the system message).
    :param location: Where the server processes the texts, for the data map;
        ``US`` for OpenAI and ``unknown`` for other hosts when unset.
    :param api: ``chat_completions`` (every compatible server has it) or
        ``responses`` (OpenAI's newer API).
    """

    base_url: str = attrs.field(
        default="https://api.openai.com/v1", validator=_http_url
    )
    model: str = "gpt-4o-mini"
    api_key: Secret | None = None
    temperature: float | None = attrs.field(default=None, validator=_temperature)
    max_tokens: int = attrs.field(default=600, validator=_positive)
    timeout_seconds: float = attrs.field(default=15.0, validator=_positive)
    budget_seconds: float = attrs.field(default=20.0, validator=_positive)
    max_attempts: int = attrs.field(default=3, validator=_positive)
    store: bool = False
    structured: Structured = attrs.field(
        default="json_schema",
        validator=attrs.validators.in_(("json_schema", "tool", "none")),
    )
    location: str | None = None
    api: Api = "chat_completions"

    def __attrs_post_init__(self) -> None:
        if self.is_openai and self.api_key is None:
            raise ValueError(
                'api.openai.com needs a key: add api_key = "env:OPENAI_API_KEY" '
                "and set that variable"
            )

    @property
    def host(self) -> str:
        """The server's host and port: safe to log and to show in the data map."""
        return urlsplit(self.base_url).netloc

    @property
    def is_openai(self) -> bool:
        """Whether the texts go to OpenAI itself."""
        return urlsplit(self.base_url).hostname == OPENAI_HOST

    @property
    def region(self) -> str:
        """The location for the data map: the setting, or what the host implies."""
        if self.location:
            return self.location
        return "US" if self.is_openai else "unknown"

    def endpoint(self, path: str) -> str:
        """The URL of the API's *path* (``/chat/completions``) below base_url."""
        return self.base_url.rstrip("/") + path
