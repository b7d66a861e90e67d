"""The Instagram Direct channel, through Meta's Instagram messaging API."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs
import httpx

from leadwire import (
    DataFlow,
    OutboundMessage,
    Secret,
    SendReceipt,
)
from leadwire_instagram._errors import INSTAGRAM
from leadwire_instagram._inbound import parse_delivery
from leadwire_instagram._outbound import plan_messages
from leadwire_meta import MetaChannel

META = "Meta Platforms (Instagram messaging API)"


@attrs.frozen
class InstagramSettings:
    """The ``[channels.<name>]`` table of an Instagram Direct channel.

    :param access_token: An Instagram user access token of the professional
        account, with ``instagram_business_manage_messages``.
    :param app_secret: The Meta app's secret, which signs webhook deliveries.
    :param verify_token: The string typed into Meta's webhook form.
    :param account_id: The professional account's id in send paths; ``me``
        means the token's own account.
    :param api_version: The Graph API version in request paths.
    :param graph_url: The Instagram Graph API's address.
    :param timeout: Seconds to wait for one API call.
    :param button_prompt: The text of a follow-up message that carries quick
        replies beyond the first thirteen.
    """

    access_token: Secret
    app_secret: Secret
    verify_token: Secret
    account_id: str = "me"
    api_version: str = "v23.0"
    graph_url: str = "https://graph.instagram.com"
    timeout: float = 15.0
    button_prompt: str = "Ещё варианты:"


class InstagramChannel(MetaChannel[InstagramSettings]):
    """An Instagram professional account's Direct messages.

    The consent request carries agree and refuse as quick replies.
    ``ask_phone`` is not rendered: a phone quick reply would hand over the
    number before the client answered the consent question.
    """

    product = INSTAGRAM
    parse_delivery = staticmethod(parse_delivery)

    async def send(self, message: OutboundMessage) -> SendReceipt:
        """Send the text in parts of at most 1000 bytes, quick replies last.

        ``reply_to`` is not rendered: the message goes without a quote.
        """
        planned = plan_messages(
            message.text, message.buttons, prompt=self.settings.button_prompt
        )
        return await self._send_all(message.conversation, planned)

    # -- the Instagram API's shapes ------------------------------------------

    @property
    def _account(self) -> str:
        return self.settings.account_id

    def _message_body(self, recipient: str, content: dict[str, Any]) -> dict[str, Any]:
        return {"recipient": {"id": recipient}, "message": content}

    def _message_id(self, response: httpx.Response) -> str | None:
        """The mid of the sent message."""
        try:
            return str(response.json()["message_id"])
        except (ValueError, LookupError, TypeError):
            return None

    # -- declarations ----------------------------------------------------

    def data_flows(self) -> Sequence[DataFlow]:
        """What passes through Meta's servers, which are outside Russia."""
        return (
            DataFlow(
                data=(
                    "Instagram-scoped user id (IGSID)",
                    "message text",
                    "media metadata",
                    "reactions",
                ),
                recipient=META,
                location="US",
                purpose="receive the client's Instagram Direct messages",
            ),
            DataFlow(
                data=(
                    "Instagram-scoped user id (IGSID)",
                    "reply text",
                    "consent request",
                ),
                recipient=META,
                location="US",
                purpose="send replies and the consent request to the client",
            ),
        )

    async def aclose(self) -> None:
        """Nothing to release: the HTTP client is shared and closed by leadwire."""
