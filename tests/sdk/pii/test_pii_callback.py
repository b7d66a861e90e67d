"""Of several phones in a message, the one to call back comes first."""

from __future__ import annotations

import pytest

from leadwire.pii.callback import rank_phones
from leadwire.pii.phones import PhoneRecognizer

MOBILE = "+79120001234"
OTHER_MOBILE = "+79160004321"
LANDLINE = "+74950002241"


def ranked(text: str) -> list[str | None]:
    phones = PhoneRecognizer().find(text)
    return [phone.normalized for phone in rank_phones(text, phones)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "мобильный +7 912 000-12-34, рабочий 8 495 000-22-41, "
            "лучше звонить на мобильный",
            [MOBILE, LANDLINE],
        ),
        (
            "мобильный +7 912 000-12-34, рабочий 8 495 000-22-41, звоните на рабочий",
            [LANDLINE, MOBILE],
        ),
        (
            "+7 912 000-12-34 (личный), 8 495 000-22-41 (рабочий), набирайте рабочий",
            [LANDLINE, MOBILE],
        ),
        (
            "8 912 000 12 34 или 8 916 000 43 21, звоните на второй",
            [OTHER_MOBILE, MOBILE],
        ),
        (
            "рабочий 8 495 000-22-41, мобильный 8 912 000 12 34, не звоните на рабочий",
            [MOBILE, LANDLINE],
        ),
    ],
)
def test_the_number_the_client_asked_for_comes_first(text, expected):
    """A stated choice ("лучше звонить на мобильный", "на второй") wins."""
    assert ranked(text) == expected


def test_a_mobile_comes_before_a_landline_without_a_choice():
    """Without a stated choice a mobile number is the one to call."""
    text = "рабочий 8 495 000-22-41, мобильный +7 912 000-12-34"

    assert ranked(text) == [MOBILE, LANDLINE]


def test_otherwise_the_order_of_mention_holds():
    """Two mobiles and no choice: the first written comes first."""
    text = "8 916 000 43 21, запасной 8 912 000 12 34"

    assert ranked(text) == [OTHER_MOBILE, MOBILE]


def test_a_choice_naming_no_phone_changes_nothing():
    """ "Звоните в обед" names no phone: the mobile still comes first."""
    text = "8 495 000-22-41, 8 912 000 12 34, звоните в обед"

    assert ranked(text) == [MOBILE, LANDLINE]


def test_no_phones_no_ranking():
    """A text without phones gives an empty ranking, not an error."""
    assert rank_phones("звоните на мобильный", []) == []
