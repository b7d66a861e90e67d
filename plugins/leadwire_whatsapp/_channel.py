"""The WhatsApp Business Cloud API channel."""

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
from leadwire_meta import MetaChannel
from leadwire_whatsapp._errors import WHATSAPP
from leadwire_whatsapp._inbound import parse_delivery
from leadwire_whatsapp._outbound import plan_messages

META = "Meta Platforms (WhatsApp Cloud API)"


@attrs.frozen
class WhatsAppSettings:
    """The ``[channels.<name>]`` table of a WhatsApp channel.

    :param phone_number_id: The business phone number's id in the Cloud API
        (not the number itself).
    :param access_token: A system-user token with ``whatsapp_business_messaging``.
    :param app_secret: The Meta app's secret, which signs webhook deliveries.
    :param verify_token: The string typed into Meta's webhook form.
    :param api_version: The Graph API version in request paths.
    :param graph_url: The Graph API's address.
    :param timeout: Seconds to wait for one API call.
    :param button_prompt: The body of an interactive message sent after a text
        too long to carry the buttons itself.
    :param list_label: The label of the button that opens a list of options.
    """

    phone_number_id: str
    access_token: Secret
    app_secret: Secret
    verify_token: Secret
    api_version: str = "v23.0"
    graph_url: str = "https://graph.facebook.com"
    timeout: float = 15.0
    button_prompt: str = "Выберите вариант:"
    list_label: str = "Варианты"


class WhatsAppChannel(MetaChannel[WhatsAppSettings]):
    """A WhatsApp Business number, through Meta's Cloud API.

    The consent request carries agree and refuse as reply buttons. WhatsApp
    has no button that shares the phone number, and needs none: the sender's
    wa_id is the number, so ``ask_phone`` changes nothing.
    """

    product = WHATSAPP
    parse_delivery = staticmethod(parse_delivery)

    async def send(self, message: OutboundMessage) -> SendReceipt:
        """Send the text in parts of at most 4096 characters, buttons last."""
        planned = plan_messages(
            message.text,
            message.buttons,
            reply_to=message.reply_to,
            prompt=self.settings.button_prompt,
            list_label=self.settings.list_label,
        )
        return await self._send_all(message.conversation, planned)

    # -- the Cloud API's shapes --------------------------------------------

    @property
    def _account(self) -> str:
        return self.settings.phone_number_id

    def _message_body(self, recipient: str, content: dict[str, Any]) -> dict[str, Any]:
        # XXX: a BSUID ("CC.digits") goes in "recipient" rather than "to", as
        # read in third-party notes on Meta's username rollout; unconfirmed.
        address = "recipient" if "." in recipient else "to"
        return {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            address: recipient,
            **content,
        }

    def _message_id(self, response: httpx.Response) -> str | None:
        """The wamid of the sent message."""
        try:
            messages = response.json().get("messages") or [{}]
            return str(messages[0]["id"])
        except (ValueError, AttributeError, LookupError, TypeError):
            return None

    # -- declarations ----------------------------------------------------

    def data_flows(self) -> Sequence[DataFlow]:
        """What passes through Meta's servers, which are outside Russia."""
        return (
            DataFlow(
                data=(
                    "phone number (wa_id)",
                    "WhatsApp profile name",
                    "message text",
                    "shared contacts",
                    "shared locations",
                    "media metadata",
                ),
                recipient=META,
                location="US",
                purpose="receive the client's messages from WhatsApp",
            ),
            DataFlow(
                data=("phone number (wa_id)", "reply text", "consent request"),
                recipient=META,
                location="US",
                purpose="send replies and the consent request to the client",
            ),
        )

    async def aclose(self) -> None:
        """Nothing to release: the HTTP client is shared and closed by leadwire."""
