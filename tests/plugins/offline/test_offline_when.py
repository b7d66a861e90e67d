"""Reading the day and time a client asks for, in Russian and English."""

from __future__ import annotations

import pytest

from leadwire_offline._when import When, find_when

CASES = {
    "завтра": ("завтра", None),
    "Хочу завтра в 15:00": ("завтра", "в 15:00"),
    "послезавтра после обеда": ("послезавтра", "после обеда"),
    "а сегодня в полдень можно?": ("сегодня", "в 12:00"),
    "в субботу": ("в субботу", None),
    "во вторник после 18": ("во вторник", "после 18:00"),
    "на следующей неделе в пятницу": ("в пятницу", None),
    "в следующую среду утром": ("в следующую среду", "утром"),
    "в это воскресенье к 11": ("в это воскресенье", "к 11:00"),
    "15.12 в 11": ("15.12", "в 11:00"),
    "1/3 в 9 утра": ("01.03", "в 09:00"),
    "15.12.2026 в 10:30": ("15.12.2026", "в 10:30"),
    "20 декабря в 7 вечера": ("20 декабря", "в 19:00"),
    "5-го мая к 3 часам дня": ("5 мая", "к 15:00"),
    "а в 10.30 можно?": (None, "в 10:30"),
    "в 3": (None, "в 15:00"),
    "к 15:30": (None, "к 15:30"),
    "tomorrow at 3pm": ("tomorrow", "at 15:00"),
    "on Saturday at 10:30am": ("on Saturday", "at 10:30"),
    "next friday at 12 pm": ("next Friday", "at 12:00"),
    "December 15 at 11": ("December 15", "at 11:00"),
}

NOT_TIMES = [
    "Маникюр от 1500 ₽, 1 ч",
    "в 2 этапа",
    "в 3 раза дешевле",
    "мой номер [PHONE_1]",
    "в 25:00",
    "скидка 10% в 1.5 раза",
    "32.13",
]


@pytest.mark.parametrize(("text", "expected"), CASES.items(), ids=CASES.keys())
def test_day_and_time_are_found(text, expected):
    """Common phrasings give the day and the clock time in a normal form."""
    assert find_when(text) == When(*expected)


@pytest.mark.parametrize("text", NOT_TIMES)
def test_numbers_that_are_not_times_are_ignored(text):
    """Prices, counts, placeholders and impossible times are no time."""
    assert not find_when(text)


def test_text_joins_day_and_clock():
    """The lead field reads as one phrase in either language."""
    assert When("завтра", "в 15:00").text() == "завтра в 15:00"
    assert When("tomorrow", "at 15:00").text(english=True) == "tomorrow at 15:00"
    assert When("on Saturday", None).text(english=True) == "on Saturday"
    assert When().text() is None


def test_later_message_is_completed_from_an_earlier_one():
    """A day said first and an hour said later merge into one time."""
    later, earlier = find_when("в 11"), find_when("в субботу")

    assert later.merged(earlier) == When("в субботу", "в 11:00")
