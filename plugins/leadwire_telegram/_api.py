"""Calling Bot API methods, and turning their failures into leadwire's errors.

The bot token is part of every URL. No exception raised here carries it:
httpx's own exceptions (whose text includes the URL) are replaced, not
chained, and Telegram's descriptions are passed through :func:`redact`.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from leadwire import (
    ConfigError,
    ConnectorContext,
    ConnectorError,
    CredentialsError,
    RateLimitedError,
    RejectedError,
    TemporaryError,
)
from leadwire_telegram._redact import redact
from leadwire_telegram.settings import TelegramSettings

__all__ = ["BotApi"]

_CREDENTIALS_ADVICE = (
    "check bot_token: it must be the token @BotFather gave this bot "
    "(revoked tokens stop working at once), and api_base must point to a Bot API "
    "server"
)


class BotApi:
    """The Bot API of one bot, spoken over the shared HTTP client."""

    def __init__(self, settings: TelegramSettings, context: ConnectorContext) -> None:
        self._settings = settings
        self._context = context

    async def call(self, method: str, body: dict[str, Any]) -> Any:
        """Call *method* and return its ``result``; a ConnectorError on failure."""
        token = self._token()
        try:
            response = await self._context.http.post(
                f"{self._settings.api_base.rstrip('/')}/bot{token}/{method}", json=body
            )
        except (httpx.HTTPError, httpx.InvalidURL) as error:
            failure = self._transport_failure(method, error)
        else:
            return self._result(method, response, token)
        # Raised outside the except block, so httpx's error (and its URL) is not
        # attached as the context of ours.
        raise failure

    def _token(self) -> str:
        try:
            return self._settings.bot_token.reveal()
        except ConfigError as error:
            raise CredentialsError(
                f"the bot token is not available: {error.problems[0].message}",
                connector=self._context.name,
            ) from None

    def _transport_failure(
        self, method: str, error: httpx.HTTPError | httpx.InvalidURL
    ) -> ConnectorError:
        name = self._context.name
        if isinstance(error, httpx.UnsupportedProtocol | httpx.InvalidURL):
            return CredentialsError(
                f"{method}: api_base is not a usable http(s) address", connector=name
            )
        if isinstance(error, httpx.TimeoutException):
            return TemporaryError(
                f"{method}: Telegram did not answer in time", connector=name
            )
        return TemporaryError(
            f"{method}: could not reach Telegram ({type(error).__name__})",
            connector=name,
        )

    def _result(self, method: str, response: httpx.Response, token: str) -> Any:
        payload = _json(response)
        if response.is_success and payload.get("ok") is True:
            return payload.get("result")

        code = payload.get("error_code")
        status = code if isinstance(code, int) else response.status_code
        description = redact(str(payload.get("description") or ""), token)[:200]
        detail = f"{method}: Telegram answered {status}" + (
            f" ({description})" if description else ""
        )
        raise _failure(status, detail, payload, response, self._context.name)


def _json(response: httpx.Response) -> dict[str, Any]:
    """The response's JSON object, or an empty one (a proxy's HTML error page)."""
    try:
        payload = json.loads(response.content)
    except ValueError:
        return {}
    return payload if isinstance(payload, dict) else {}


def _failure(
    status: int,
    detail: str,
    payload: dict[str, Any],
    response: httpx.Response,
    connector: str,
) -> ConnectorError:
    if status == 429:
        return RateLimitedError(
            f"{detail}; slow down",
            connector=connector,
            retry_after=_retry_after(payload, response),
        )
    if status in (401, 404):
        return CredentialsError(f"{detail}; {_CREDENTIALS_ADVICE}", connector=connector)
    if status == 403:
        return RejectedError(
            f"{detail}; the client blocked the bot, or it may not write to this chat",
            connector=connector,
        )
    if status >= 500:
        return TemporaryError(f"{detail}; try again later", connector=connector)
    return RejectedError(f"{detail}; the request was refused", connector=connector)


def _retry_after(payload: dict[str, Any], response: httpx.Response) -> float | None:
    parameters = payload.get("parameters")
    if isinstance(parameters, dict):
        seconds = parameters.get("retry_after")
        if isinstance(seconds, int | float) and not isinstance(seconds, bool):
            return float(seconds)
    header = response.headers.get("retry-after", "")
    return float(header) if header.isdigit() else None
