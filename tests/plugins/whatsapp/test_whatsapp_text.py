"""Cutting texts into parts at readable boundaries, and shortening button titles."""

from __future__ import annotations

from leadwire_whatsapp._text import shorten, split_text


def test_short_text_is_one_part():
    """A text within the limit comes back whole, trimmed."""
    assert split_text("  Добрый день!  ", 50) == ["Добрый день!"]


def test_empty_text_gives_no_parts():
    """Whitespace only gives no parts at all."""
    assert split_text(" \n ", 50) == []


def test_paragraphs_are_preferred_over_sentences():
    """A cut falls between paragraphs when one fits."""
    text = "Первый абзац. Ещё фраза.\n\nВторой абзац тут."

    assert split_text(text, 30) == ["Первый абзац. Ещё фраза.", "Второй абзац тут."]


def test_sentences_are_preferred_over_words():
    """Without paragraphs, a cut falls after a sentence."""
    text = "Мы открыты с утра. Запись по телефону или здесь."

    assert split_text(text, 30) == [
        "Мы открыты с утра.",
        "Запись по телефону или здесь.",
    ]


def test_words_are_never_cut_when_avoidable():
    """Without sentences, cuts fall between words and every part fits."""
    text = " ".join(["слово"] * 40)

    parts = split_text(text, 37)

    assert all(len(part) <= 37 for part in parts)
    assert all(set(part.split()) == {"слово"} for part in parts)
    assert " ".join(parts) == text


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


def test_size_can_count_bytes():
    """With a byte measure, Cyrillic parts stay within the byte limit."""
    text = "привет " * 30

    parts = split_text(text, 40, size=lambda part: len(part.encode()))

    assert all(len(part.encode()) <= 40 for part in parts)
    assert " ".join(parts) == text.strip()


def test_shorten_keeps_short_titles_and_marks_cuts():
    """Titles within the limit are kept; longer ones end in an ellipsis at the limit."""
    assert shorten("Согласен", 20) == "Согласен"
    assert shorten("Записаться на стрижку", 20) == "Записаться на стриж…"
    assert len(shorten("Записаться на стрижку", 20)) == 20
