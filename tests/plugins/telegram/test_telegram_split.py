"""Long texts are sent in parts within Telegram's 4096 UTF-16 unit limit."""

from __future__ import annotations

import json

import pytest

from leadwire import OutboundMessage
from leadwire_telegram.channel import TELEGRAM_TEXT_LIMIT, utf16_length


def sent_texts(route) -> list[str]:
    return [json.loads(call.request.content)["text"] for call in route.calls]


def test_emoji_count_twice():
    """Astral emoji take two units, as Telegram counts them."""
    assert utf16_length("Привет") == 6
    assert utf16_length("😀" * 60) == 120


@pytest.mark.parametrize("size", [4096, 4097, 9000, 20000])
async def test_parts_fit_the_real_limit_and_keep_the_words(channel, tg, bot_api, size):
    """Every part fits 4096, and no word is lost or broken."""
    sentence = "Запись на маникюр возможна в будни. "
    text = (sentence * (size // len(sentence) + 1))[:size].strip()
    route = bot_api.post("/sendMessage").mock(return_value=tg.sent_ok(301))

    await channel.send(OutboundMessage(str(tg.USER_ID), text))

    parts = sent_texts(route)
    assert all(utf16_length(part) <= TELEGRAM_TEXT_LIMIT for part in parts)
    assert " ".join(parts).split() == text.split()
    assert (len(parts) == 1) == (utf16_length(text) <= TELEGRAM_TEXT_LIMIT)


async def test_emoji_heavy_text_is_measured_in_utf16_units(channel, tg, bot_api):
    """3000 characters of emoji and spaces are 4500 units: two parts, not one."""
    text = "😀 " * 1500
    route = bot_api.post("/sendMessage").mock(return_value=tg.sent_ok(302))

    await channel.send(OutboundMessage(str(tg.USER_ID), text))

    parts = sent_texts(route)
    assert len(parts) == 2
    assert all(utf16_length(part) <= TELEGRAM_TEXT_LIMIT for part in parts)
    assert " ".join(parts) == text.strip()
