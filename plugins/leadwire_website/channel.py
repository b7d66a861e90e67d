"""The website channel: a site's form or chat widget, through the site's backend.

A browser cannot keep a secret, so the browser never talks to leadwire: it
posts to the site's own backend, which signs the JSON and forwards it to
leadwire's webhook. Replies travel back the same way: leadwire POSTs them,
signed, to the site's ``callback_url``, and the widget gets them from there.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import httpx

from leadwire import (
    ConfigError,
    ConnectorContext,
    ConnectorError,
    ConsentPrompt,
    CredentialsError,
    DataFlow,
    InboundEvent,
    OutboundMessage,
    RateLimitedError,
    RejectedError,
    SendReceipt,
    TemporaryError,
    Verification,
    WebhookRequest,
    WebhookResponse,
)
from leadwire_website._parse import parse_post
from leadwire_website.settings import WebsiteSettings
from leadwire_website.signing import TIMESTAMP_HEADER, check_signature, signed_headers

__all__ = ["WebsiteChannel"]


class WebsiteChannel:
    """A website as a leadwire channel (implements :class:`leadwire.Channel`)."""

    def __init__(self, settings: WebsiteSettings, context: ConnectorContext) -> None:
        self._settings = settings
        self._context = context

    async def handshake(self, request: WebhookRequest) -> WebhookResponse | None:
        """Replies go to the callback URL; there is no polling endpoint to answer."""
        return None

    def verify(self, request: WebhookRequest) -> Verification:
        """Check the post's HMAC signature and that it is fresh."""
        try:
            secret = self._settings.secret.reveal()
        except ConfigError:
            return Verification.forged("the shared secret's variable is not set")
        return check_signature(
            request,
            secret,
            self._context.clock.now(),
            self._settings.max_age_seconds,
            self._settings.future_skew_seconds,
        )

    def parse(self, request: WebhookRequest) -> Sequence[InboundEvent]:
        """Turn one post into its events; ValueError if the body is malformed."""
        return parse_post(
            request.body,
            self._context.name,
            self._signed_at(request),
            self._settings.phone_region,
        )

    async def send(self, message: OutboundMessage) -> SendReceipt:
        """POST the reply, with its buttons, to the site's callback URL."""
        reply: dict[str, Any] = {
            "type": "message",
            "session": message.conversation,
            "message_id": _new_message_id(),
            "text": message.text,
            "buttons": [
                {"payload": payload, "title": title}
                for payload, title in message.buttons
            ],
        }
        if message.reply_to is not None:
            reply["reply_to"] = message.reply_to
        return await self._deliver(reply)

    async def send_consent_request(
        self, conversation: str, prompt: ConsentPrompt
    ) -> SendReceipt:
        """POST the consent request as a message the widget renders with two buttons.

        The buttons carry the prompt's own payloads; the widget sends the one
        pressed back as a ``button`` post.
        """
        agree_payload, agree_title = prompt.agree
        refuse_payload, refuse_title = prompt.refuse
        request = {
            "type": "consent_request",
            "session": conversation,
            "message_id": _new_message_id(),
            "text": prompt.text,
            "version": prompt.version,
            "buttons": [
                {"payload": agree_payload, "title": agree_title, "answer": "agree"},
                {"payload": refuse_payload, "title": refuse_title, "answer": "refuse"},
            ],
            "ask_phone": prompt.ask_phone,
        }
        return await self._deliver(request)

    def data_flows(self) -> Sequence[DataFlow]:
        """The site's backend sees everything the visitor writes, and the replies."""
        return [
            DataFlow(
                data=("website session id", "name", "phone", "e-mail", "message text"),
                recipient="the business's own website",
                location=self._settings.location,
                purpose="exchanging messages with the visitor on the website",
                pseudonymised=False,
                third_party=False,
            )
        ]

    async def aclose(self) -> None:
        """Nothing to release: the HTTP client is shared and closed by leadwire."""

    # -- helpers -------------------------------------------------------------

    def _signed_at(self, request: WebhookRequest) -> datetime:
        stamp = request.header(TIMESTAMP_HEADER) or ""
        if stamp.isascii() and stamp.isdigit():
            with contextlib.suppress(OverflowError, OSError, ValueError):
                return datetime.fromtimestamp(int(stamp), UTC)
        return self._context.clock.now()

    async def _deliver(self, outgoing: dict[str, Any]) -> SendReceipt:
        """Sign *outgoing* and POST it; map the site's failures to leadwire's errors."""
        name = self._context.name
        try:
            secret = self._settings.secret.reveal()
        except ConfigError as error:
            raise CredentialsError(
                f"the shared secret is not available: {error.problems[0].message}",
                connector=name,
            ) from None

        body = json.dumps(outgoing, ensure_ascii=False).encode()
        timestamp = int(self._context.clock.now().timestamp())
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            **signed_headers(secret, timestamp, body),
        }

        try:
            response = await self._context.http.post(
                self._settings.callback_url, content=body, headers=headers
            )
        except (httpx.HTTPError, httpx.InvalidURL) as error:
            failure = _transport_failure(error, name)
        else:
            failure = _status_failure(response, name)
            if failure is None:
                self._context.logger.debug(
                    "delivered a %s to the website callback", outgoing["type"]
                )
                return SendReceipt((outgoing["message_id"],))
        # Raised outside the except block: httpx's error, whose text holds the
        # callback URL (which may carry a token), is not chained to ours.
        raise failure


def _new_message_id() -> str:
    return f"lw-{uuid.uuid4().hex}"


def _transport_failure(
    error: httpx.HTTPError | httpx.InvalidURL, connector: str
) -> ConnectorError:
    if isinstance(error, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return CredentialsError(
            "callback_url is not a usable http(s) address", connector=connector
        )
    if isinstance(error, httpx.TimeoutException):
        return TemporaryError(
            "the website's callback did not answer in time", connector=connector
        )
    return TemporaryError(
        f"could not reach the website's callback ({type(error).__name__})",
        connector=connector,
    )


def _status_failure(response: httpx.Response, connector: str) -> ConnectorError | None:
    """The error a callback's answer means, or None when it took the message."""
    status = response.status_code
    said = f"the website's callback answered {status}"
    if response.is_success:
        return None
    if status == 429:
        header = response.headers.get("retry-after", "")
        return RateLimitedError(
            f"{said}; slow down",
            connector=connector,
            retry_after=float(header) if header.isdigit() else None,
        )
    if status in (408, 425) or status >= 500:
        return TemporaryError(f"{said}; try again later", connector=connector)
    if status in (401, 403):
        return CredentialsError(
            f"{said}: it refused our signature; the secret must be the same on "
            "both sides, and both clocks right",
            connector=connector,
        )
    if response.is_redirect:
        return CredentialsError(
            f"{said}: it redirects; set callback_url to the final address",
            connector=connector,
        )
    return RejectedError(f"{said}; it refused this message", connector=connector)
