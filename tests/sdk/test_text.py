"""Cutting long texts into parts at readable boundaries, in any unit of measure."""

from __future__ import annotations

import pytest

from leadwire import split_text


def utf8_size(text: str) -> int:
    return len(text.encode("utf-8"))


def utf16_size(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def test_short_text_is_one_part():
    """A text within the limit comes back whole, trimmed."""
    assert split_text("  Добрый день!  ", 50) == ["Добрый день!"]


@pytest.mark.parametrize("blank", ["", " \n ", " \n\t "])
def test_blank_text_gives_no_parts(blank):
    """Whitespace only gives no parts at all."""
    assert split_text(blank, 50) == []


def test_paragraphs_are_preferred_over_sentences():
    """A cut falls between paragraphs when one fits."""
    text = "Первый абзац. Ещё фраза.\n\nВторой абзац тут."

    assert split_text(text, 30) == ["Первый абзац. Ещё фраза.", "Второй абзац тут."]


def test_paragraph_break_is_preferred_in_a_long_text():
    """A long text is cut at its paragraph break when that leaves a full part."""
    first = "Первый абзац. " * 30
    second = "Второй абзац, без точки " * 20
    text = f"{first.strip()}\n\n{second.strip()}"

    parts = split_text(text, len(text) - 10)

    assert parts == [first.strip(), second.strip()]


def test_lines_are_preferred_over_sentences():
    """Without paragraphs, a cut falls at a line break before a sentence end."""
    text = "Мы открыты с утра. Ждём вас\nЗапись по телефону или здесь."

    assert split_text(text, 40) == [
        "Мы открыты с утра. Ждём вас",
        "Запись по телефону или здесь.",
    ]


def test_sentences_are_preferred_over_words():
    """Without paragraphs, a cut falls after a sentence."""
    text = "Мы открыты с утра. Запись по телефону или здесь."

    assert split_text(text, 30) == [
        "Мы открыты с утра.",
        "Запись по телефону или здесь.",
    ]


def test_a_closing_quote_stays_with_its_sentence():
    """A quote or bracket after the stop ends the part; nothing is dropped."""
    text = "Мастер сказал: «Приходите завтра.» Запись открыта до вечера."

    parts = split_text(text, 40)

    assert parts == ["Мастер сказал: «Приходите завтра.»", "Запись открыта до вечера."]


def test_words_are_never_cut_when_avoidable():
    """Without sentences, cuts fall between words and every part fits."""
    text = " ".join(["слово"] * 40)

    parts = split_text(text, 37)

    assert all(len(part) <= 37 for part in parts)
    assert all(set(part.split()) == {"слово"} for part in parts)
    assert " ".join(parts) == text


def test_numbered_words_are_kept_whole():
    """A text without punctuation is cut between words, never inside one."""
    words = [f"слово{index}" for index in range(200)]
    text = " ".join(words)

    parts = split_text(text, 100)

    assert " ".join(parts) == text
    assert all(len(part) <= 100 for part in parts)
    assert all(part.split(" ")[0] in words for part in parts)


def test_a_word_longer_than_the_limit_is_cut():
    """A single word over the limit is cut hard, nothing lost."""
    word = "а" * 25

    assert split_text(word, 10) == ["а" * 10, "а" * 10, "а" * 5]


def test_boundary_right_after_the_limit_is_used():
    """A space just past the limit still makes a clean cut at the limit."""
    assert split_text("abcde fghij", 5) == ["abcde", "fghij"]


def test_too_early_a_boundary_is_passed_over():
    """A paragraph break near the start does not make a tiny part."""
    text = "Да.\n\n" + "очень длинное предложение без точки " * 3

    parts = split_text(text, 60)

    assert len(parts[0]) > 20
    assert all(len(part) <= 60 for part in parts)


def test_a_short_part_beats_cutting_a_word_that_fits():
    """When the only boundary is early, the cut falls there, not inside a word."""
    word = "б" * 93
    text = f"Да {word} нет"

    assert split_text(text, 95) == ["Да", word, "нет"]


def test_size_can_count_bytes():
    """With a byte measure, Cyrillic parts stay within the byte limit."""
    text = "привет " * 30

    parts = split_text(text, 40, measure=utf8_size)

    assert all(utf8_size(part) <= 40 for part in parts)
    assert " ".join(parts) == text.strip()


def test_sentence_end_before_word_boundary_in_utf16():
    """Counting UTF-16 units, a text is still cut after its sentence."""
    text = "Это первое предложение. Это второе предложение, длинное и без конца"

    parts = split_text(text, 50, measure=utf16_size)

    assert parts[0] == "Это первое предложение."
    assert all(utf16_size(part) <= 50 for part in parts)


def test_emoji_count_twice_in_utf16():
    """Astral emoji take two UTF-16 units, and none is split."""
    text = "😀" * 60

    parts = split_text(text, 100, measure=utf16_size)

    assert [len(part) for part in parts] == [50, 10]
    assert "".join(parts) == text


@pytest.mark.parametrize("limit", [0, -5])
def test_a_limit_below_one_is_refused(limit):
    """A limit that no part could meet is a ValueError naming it."""
    with pytest.raises(ValueError, match=str(limit)):
        split_text("Добрый день", limit)
