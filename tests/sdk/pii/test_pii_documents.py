"""Passport, SNILS, INN, card, OMS and account numbers."""

from __future__ import annotations

import pytest
from pii_samples import digits

from leadwire.pii.checksums import make_inn10, make_inn12, make_luhn, make_snils
from leadwire.pii.documents import DocumentRecognizer


def kinds(text: str) -> list[tuple[str, str]]:
    return [(e.type, e.value) for e in DocumentRecognizer().find(text)]


def spaced_snils(number: str) -> str:
    return f"{number[:3]}-{number[3:6]}-{number[6:9]} {number[9:]}"


def test_valid_snils_without_context(rng):
    """A checksummed SNILS in its usual grouping needs no word before it."""
    number = spaced_snils(make_snils("1" + digits(rng, 8)))

    assert kinds(f"вот {number} спасибо") == [("SNILS", number)]


def test_mistyped_snils_is_still_found_when_named(rng):
    """A SNILS that fails its checksum is personal data when the text names it."""
    valid = make_snils("2" + digits(rng, 8))
    wrong = valid[:10] + str((int(valid[10]) + 1) % 10)

    assert kinds(f"мой снилс {spaced_snils(wrong)}") == [("SNILS", spaced_snils(wrong))]
    assert kinds(f"вот {spaced_snils(wrong)}") == []


def test_inn_of_ten_and_twelve_digits(rng):
    """Checksummed INNs of companies (10) and people (12) are found."""
    company, person = make_inn10(digits(rng, 9)), make_inn12(digits(rng, 10))

    assert kinds(f"ИНН {company}") == [("INN", company)]
    assert kinds(f"для вычета {person}") == [("INN", person)]


def test_card_numbers_pass_luhn(rng):
    """A Luhn-valid 16-digit number in groups of four is a card."""
    number = make_luhn("4000" + digits(rng, 11))
    grouped = " ".join(number[i : i + 4] for i in range(0, 16, 4))

    assert kinds(f"переведу с {grouped}") == [("CARD", grouped)]


def test_oms_policy_by_context(rng):
    """Sixteen digits after "полис" are an OMS policy."""
    number = digits(rng, 16)

    assert kinds(f"полис ОМС {number}") == [("OMS", number)]


@pytest.mark.parametrize(
    "text",
    [
        "паспорт 4500 000123",
        "Паспорт: серия 45 00 номер 000123",
        "паспортные данные 4500000123",
    ],
)
def test_passport_with_context(text):
    """Series and number after "паспорт"/"серия" are a passport, grouped any way."""
    [(kind, value)] = set(kinds(text))

    assert kind == "PASSPORT"
    assert value.replace(" ", "").replace("номер", "") == "4500000123"


def test_ten_digits_without_context_are_not_a_passport():
    """Ten digits that fail the INN check and have no context are nothing here."""
    number = "4500000123"
    assert not any(kind == "PASSPORT" for kind, _ in kinds(f"код {number}"))


def test_twenty_digit_account(rng):
    """A 20-digit bank account is found."""
    number = "40817810" + digits(rng, 12)

    assert kinds(f"р/с {number}") == [("ACCOUNT", number)]


def test_order_numbers_are_not_documents(rng):
    """A checksummed-looking number after "заказ №" is an order, not an INN."""
    number = make_inn10(digits(rng, 9))

    assert kinds(f"заказ №{number} готов") == []
