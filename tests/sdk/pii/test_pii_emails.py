"""E-mail addresses, alone, in pairs and glued."""

from __future__ import annotations

import pytest

from leadwire.pii.emails import EmailRecognizer


def values(text: str) -> list[str]:
    return [entity.value for entity in EmailRecognizer().find(text)]


def test_address_is_found_and_lower_cased():
    """The canonical form of an address is lower case."""
    [entity] = EmailRecognizer().find("почта Anna.Test@Example.RU, пишите")

    assert entity.value == "Anna.Test@Example.RU"
    assert entity.normalized == "anna.test@example.ru"


@pytest.mark.parametrize(
    "text",
    [
        "a.test@example.ru b.test@example.com",
        "a.test@example.ru,b.test@example.com",
        "a.test@example.rub.test@example.com",
    ],
)
def test_two_in_a_row_are_two(text):
    """Two addresses side by side, with or without a separator, are two."""
    assert values(text) == ["a.test@example.ru", "b.test@example.com"]


def test_cyrillic_domain():
    """An address at a .рф domain is found."""
    assert values("мыло: маша@пример.рф!") == ["маша@пример.рф"]


@pytest.mark.parametrize("text", ["встречаемся @ 15:00", "цена 5@шт", "@nails_demo"])
def test_at_signs_that_are_not_addresses(text):
    """An @ without a domain is not an e-mail address."""
    assert values(text) == []
