"""Addresses, birth dates, car plates and messenger handles."""

from __future__ import annotations

from datetime import date

import pytest

from leadwire.pii.addresses import AddressRecognizer
from leadwire.pii.dates import BirthdateRecognizer
from leadwire.pii.handles import HandleRecognizer
from leadwire.pii.plates import PlateRecognizer


def values(recognizer, text: str) -> list[str]:
    return [entity.value for entity in recognizer.find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("живу на ул. Садовая, д. 5, кв. 12, приходите", "ул. Садовая, д. 5, кв. 12"),
        (
            "г. Казань, пр-т Победы 45/2 корп. 1 кв 88",
            "г. Казань, пр-т Победы 45/2 корп. 1 кв 88",
        ),
        ("адрес: Садовая улица 5", "Садовая улица 5"),
        ("живу на лесной 15-42", "лесной 15-42"),
        ("улица 8 Марта 12к2, подъезд 3", "улица 8 Марта 12к2, подъезд 3"),
        ("дом 7 кв 15", "дом 7 кв 15"),
        ("доставьте на Невский 28, кв 4", "Невский 28, кв 4"),
    ],
)
def test_addresses_down_to_the_house(text, expected):
    """Formal and informal addresses with a house, flat and building."""
    assert values(AddressRecognizer(), text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "я в Москве, у метро Сокол",
        "вы на ул. Садовой? в 14:30 буду",
        "на проспекте Мира 2 часа стояла в пробке",
        "в ТЦ на 2 этаже",
        "Промокод SALE19 на шиномонтаж 7",
    ],
)
def test_cities_landmarks_and_streets_without_a_house(text):
    """A bare city, a station, a street without a house are not addresses."""
    assert values(AddressRecognizer(), text) == []


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("дата рождения 05.04.1991", "1991-04-05"),
        ("родилась 5 мая 1988 г.", "1988-05-05"),
        ("д.р. 01/02/85", "1985-02-01"),
        ("Иванов, 12.03.1979", "1979-03-12"),
        ("мне 35 лет, 1989 г.р.", "1989"),
    ],
)
def test_birth_dates(text, normalized):
    """Named birth dates, and full dates far in the past."""
    [entity] = BirthdateRecognizer(today=date(2026, 6, 1)).find(text)

    assert entity.normalized == normalized


@pytest.mark.parametrize(
    "text", ["запись на 12.03.2026", "приду 15 марта в 14:30", "12.03"]
)
def test_appointment_dates_are_not_birth_dates(text):
    """This year's dates and dates without a year are appointments."""
    assert BirthdateRecognizer(today=date(2026, 6, 1)).find(text) == []


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("машина А123ВС 77", "А123ВС77"),
        ("гос номер a123bc777", "А123ВС777"),
        ("K777KK 197 RUS на мойку", "К777КК197"),
        ("номер х001хх99", "Х001ХХ99"),
    ],
)
def test_plates_with_latin_look_alikes(text, normalized):
    """Plates in Cyrillic, Latin look-alikes or lower case share one form."""
    [entity] = PlateRecognizer().find(text)

    assert entity.normalized == normalized


def test_plate_needs_its_region():
    """A letter and three digits alone ("А100") are not a plate."""
    assert PlateRecognizer().find("модель А100 или Б200") == []


def test_handles_and_links():
    """@usernames and t.me links are handles; e-mails are not."""
    text = "пишите @nails_demo или t.me/Studio_Demo, почта demo@example.ru"

    found = HandleRecognizer().find(text)

    assert [e.normalized for e in found] == ["@nails_demo", "@studio_demo"]
