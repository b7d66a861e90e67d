"""Mocked providers, at the HTTP layer: what every replay talks to.

:class:`Providers` builds, from a configuration, a respx router with one
mock per provider the configuration names, and the ``httpx.AsyncClient``
the engine and its connectors share. A request to anything else is refused
and recorded, so a replay can never reach the network.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

import httpx
import respx
from respx.models import AllMockedAssertionError

from leadwire.config import ClientConfig
from leadwire_harness.providers.base import Call, Failure, FaultQueue, SentMessage
from leadwire_harness.providers.bitrix24 import Portal
from leadwire_harness.providers.channels import (
    ChannelMock,
    InstagramApi,
    TelegramApi,
    WebsiteCallback,
    WhatsAppApi,
)
from leadwire_harness.providers.openai import ScriptedLlm

__all__ = [
    "Call",
    "ChannelMock",
    "Failure",
    "FaultQueue",
    "InstagramApi",
    "Portal",
    "Providers",
    "ScriptedLlm",
    "SentMessage",
    "TelegramApi",
    "UnmockedRequest",
    "WebsiteCallback",
    "WhatsAppApi",
]

logger = logging.getLogger("leadwire.harness.providers")


class UnmockedRequest(httpx.ConnectError):
    """A request to a host no mock answers: the replay refuses it."""


def _reveal(settings: Any, field: str) -> str:
    return getattr(settings, field).reveal()


class Providers:
    """Every mocked provider of one replay.

    :param config: The replay's configuration: which providers to mock.
    :param clock: The replay's clock.
    :param crm_auth: How the portal treats the webhook's token.
    """

    def __init__(self, config: ClientConfig, clock: Any, *, crm_auth: str = "ok"):
        self.clock = clock
        self.channels: dict[str, ChannelMock] = {}
        self.webhook_secrets: dict[str, dict[str, str]] = {}
        self.portal: Portal | None = None
        self.llm: ScriptedLlm | None = None
        self.unmocked: list[str] = []
        self.router = respx.Router(assert_all_called=False, assert_all_mocked=True)

        for name, connector in config.channels.items():
            self._mock_channel(name, connector.plugin, connector.settings)
        self._mock_crm(config.crm.plugin, config.crm.settings, crm_auth)
        self._mock_llm(config.llm.plugin, config.llm.settings)

        self.http = httpx.AsyncClient(transport=httpx.MockTransport(self._handle))

    # -- building -------------------------------------------------------------

    def _route(self, url: str, handler: Any) -> None:
        parts = urlsplit(url)
        self.router.route(
            scheme=parts.scheme, host=parts.hostname, path__startswith=parts.path or "/"
        ).mock(side_effect=handler)

    def _mock_channel(self, name: str, plugin: str, settings: Any) -> None:
        mock: ChannelMock
        if plugin == "whatsapp":
            mock = WhatsAppApi(name, self.clock)
            base = settings.graph_url.rstrip("/")
            url = f"{base}/{settings.api_version}/{settings.phone_number_id}/messages"
            secrets = {
                "app_secret": _reveal(settings, "app_secret"),
                "phone_number_id": settings.phone_number_id,
            }
        elif plugin == "instagram":
            mock = InstagramApi(name, self.clock)
            url = f"{settings.graph_url.rstrip('/')}/{settings.api_version}/"
            secrets = {"app_secret": _reveal(settings, "app_secret")}
        elif plugin == "telegram":
            token = _reveal(settings, "bot_token")
            mock = TelegramApi(name, self.clock, token)
            url = f"{settings.api_base.rstrip('/')}/"
            secrets = {"secret_token": _reveal(settings, "secret_token")}
        elif plugin == "website":
            secret = _reveal(settings, "secret")
            mock = WebsiteCallback(name, self.clock, secret)
            url = settings.callback_url
            secrets = {"secret": secret}
        else:
            return  # a channel kind the replay has no mock for: its dialogues skip
        self._route(url, mock.handle)
        self.channels[name] = mock
        self.webhook_secrets[name] = secrets

    def _mock_crm(self, plugin: str, settings: Any, auth: str) -> None:
        if plugin != "bitrix24":
            return  # the local CRM needs no HTTP
        url = _reveal(settings, "webhook_url")
        self.portal = Portal(url, self.clock, auth=auth)
        parts = urlsplit(url)
        self.router.route(host=parts.hostname, path__startswith="/rest/").mock(
            side_effect=self.portal.handle
        )

    def _mock_llm(self, plugin: str, settings: Any) -> None:
        if plugin != "gpt":
            return  # the offline model needs no HTTP
        self.llm = ScriptedLlm(self.clock)
        base = settings.base_url.rstrip("/")
        self._route(f"{base}/chat/completions", self.llm.handle)
        self._route(f"{base}/responses", self.llm.handle)

    # -- running --------------------------------------------------------------

    async def _handle(self, request: httpx.Request) -> httpx.Response:
        try:
            return await self.router.async_handler(request)
        except AllMockedAssertionError:
            where = f"{request.method} {request.url.scheme}://{request.url.host}"
            self.unmocked.append(where)
            logger.warning("refused a request to an unmocked host")
            raise UnmockedRequest(
                "no mock answers this host", request=request
            ) from None

    def set_turn(self, turn: int) -> None:
        """Mark the requests from now on as made while handling *turn*."""
        for mock in self._mocks():
            mock.turn = turn

    def _mocks(self) -> list[Any]:
        found: list[Any] = list(self.channels.values())
        found += [mock for mock in (self.portal, self.llm) if mock is not None]
        return found

    def calls(self) -> list[Call]:
        """Every request any mock received."""
        return [call for mock in self._mocks() for call in mock.calls]

    async def aclose(self) -> None:
        await self.http.aclose()
