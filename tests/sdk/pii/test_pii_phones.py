"""Phones in every common Russian writing, normalised to E.164."""

from __future__ import annotations

import pytest
from pii_samples import found

from leadwire.pii.phones import PhoneRecognizer

# One invented number, written the ways clients write it.
WRITINGS = [
    "+7 (912) 000-12-34",
    "+7 912 000 12 34",
    "+7-912-000-12-34",
    "+79120001234",
    "8 912 000 12 34",
    "8(912)000-12-34",
    "8-912-000-12-34",
    "89120001234",
    "79120001234",
    "9120001234",
    "8 (912) 000 1234",
    "+7 912 000-1234",
    "8.912.000.12.34",
]


@pytest.mark.parametrize("writing", WRITINGS)
def test_every_writing_is_found_whole_and_normalised(writing):
    """Each common way of writing a mobile number gives the whole span and E.164."""
    text = f"мой номер {writing}, звоните после обеда"

    [entity] = PhoneRecognizer().find(text)

    assert entity.value == writing
    assert entity.normalized == "+79120001234"


def test_phone_glued_to_words_is_found():
    """A number typed without spaces around it is still found."""
    [entity] = PhoneRecognizer().find("звоните89120001234или пишите")

    assert entity.value == "89120001234"


@pytest.mark.parametrize(
    ("text", "value", "normalized"),
    [
        ("тел. 8 (812) 000-12-34", "8 (812) 000-12-34", "+78120001234"),
        ("звоните 8 (4012) 00-12-34", "8 (4012) 00-12-34", "+74012001234"),
        ("регистратура (843) 000-12-34", "(843) 000-12-34", "+78430001234"),
    ],
)
def test_landlines_with_a_city_code(text, value, normalized):
    """Landlines with a three- or four-digit city code are phones."""
    [entity] = PhoneRecognizer().find(text)

    assert (entity.value, entity.normalized) == (value, normalized)


@pytest.mark.parametrize(
    "extension", [" доб. 123", ", доб 123", " доб.123", " ext 123"]
)
def test_extension_belongs_to_the_phone(extension):
    """An extension is part of the span and of the canonical form."""
    text = f"офис +7 495 000-12-34{extension}, спросить администратора"

    [entity] = PhoneRecognizer().find(text)

    assert entity.value == "+7 495 000-12-34" + extension
    assert entity.normalized == "+74950001234;ext=123"


def test_two_phones_in_one_run_are_two_entities():
    """Two numbers separated by a space only are split, not merged or lost."""
    entities = PhoneRecognizer().find("8 912 000 12 34 8 495 000 56 78")

    assert [e.normalized for e in entities] == ["+79120001234", "+74950005678"]


def test_foreign_number_with_a_plus():
    """A Belarusian or Kazakh number with its country code is a phone too."""
    [entity] = PhoneRecognizer().find("мой белорусский +375 29 000-12-34")

    assert entity.normalized == "+375290001234"


@pytest.mark.parametrize(
    "text",
    [
        "заказ №4950001234 готов",
        "номер заказа 89120001234",
        "заявка 595aa178-3898-4524-543c-f84329064245",
        "стоимость 12 500 руб, приходите в 14:30",
        "запись на 12.03.2026 в 18.30",
        "артикул 9120001234",
    ],
)
def test_numbers_that_are_not_phones(text):
    """Order numbers, UUIDs, prices, times and dates are not phones."""
    assert PhoneRecognizer().find(text) == []


def test_phone_shaped_digits_inside_a_card_are_the_card(detector):
    """Overlaps resolve to the longer number: a card is not cut into a phone."""
    text = "карта 8912 0001 2345 6789"

    assert [kind for kind, _ in found(detector, text)] == ["CARD"]
