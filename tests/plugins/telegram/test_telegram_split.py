"""Splitting long texts to Telegram's 4096-unit limit."""

from __future__ import annotations

import pytest

from leadwire_telegram._split import TELEGRAM_TEXT_LIMIT, split_text, utf16_length


def test_short_text_is_one_part():
    """A text within the limit is sent as it is."""
    assert split_text("Добрый день!") == ["Добрый день!"]


def test_blank_text_gives_no_parts():
    """Whitespace alone is nothing to send."""
    assert split_text(" \n\t ") == []


def test_paragraph_break_is_preferred():
    """A text is cut at a paragraph break when one leaves a full enough part."""
    first = "Первый абзац. " * 30
    second = "Второй абзац, без точки " * 20
    text = f"{first.strip()}\n\n{second.strip()}"

    parts = split_text(text, limit=len(text) - 10)

    assert parts == [first.strip(), second.strip()]


def test_sentence_end_before_word_boundary():
    """Without line breaks, a text is cut after a sentence."""
    text = "Это первое предложение. Это второе предложение, длинное и без конца"

    parts = split_text(text, limit=50)

    assert parts[0] == "Это первое предложение."
    assert all(utf16_length(part) <= 50 for part in parts)


def test_word_boundary_when_no_sentence_ends():
    """A text without punctuation is cut between words, never inside one."""
    words = [f"слово{index}" for index in range(200)]
    text = " ".join(words)

    parts = split_text(text, limit=100)

    assert " ".join(parts) == text
    assert all(utf16_length(part) <= 100 for part in parts)
    assert all(part.split(" ")[0] in words for part in parts)


def test_unbreakable_text_is_cut_hard():
    """A single word longer than the limit is cut at the limit."""
    text = "а" * 250

    parts = split_text(text, limit=100)

    assert parts == ["а" * 100, "а" * 100, "а" * 50]


@pytest.mark.parametrize("size", [4096, 4097, 9000, 20000])
def test_parts_fit_the_real_limit_and_keep_the_words(size):
    """Every part fits 4096, and no word is lost or broken."""
    sentence = "Запись на маникюр возможна в будни. "
    text = (sentence * (size // len(sentence) + 1))[:size].strip()

    parts = split_text(text)

    assert all(utf16_length(part) <= TELEGRAM_TEXT_LIMIT for part in parts)
    assert " ".join(parts).split() == text.split()
    assert (len(parts) == 1) == (utf16_length(text) <= TELEGRAM_TEXT_LIMIT)


def test_emoji_count_twice():
    """Astral emoji take two units, as Telegram counts them."""
    text = "😀" * 60

    parts = split_text(text, limit=100)

    assert [len(part) for part in parts] == [50, 10]
    assert "".join(parts) == text
