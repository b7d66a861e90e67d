"""The offline assistant's answers and the lead fields it fills."""

from __future__ import annotations

import pytest
from offline_fakes import conversation

from leadwire import LeadFields

FIELDS = {
    "хочу записаться на маникюр завтра в 15:00": ("Маникюр", "завтра в 15:00"),
    "Запишите на стрижку в субботу": ("Стрижка", "в субботу"),
    "можно на окрашивание 15.12 в 11?": ("Окрашивание волос", "15.12 в 11:00"),
    "Хочу маникюр с покрытием во вторник после 18": (
        "Маникюр с покрытием",
        "во вторник после 18:00",
    ),
    "запись на стрижку": ("Стрижка", None),
    "хочу записаться": (None, None),
    "Здравствуйте, я [PERSON_1], мой номер [PHONE_1]": (None, None),
}


@pytest.mark.parametrize(("text", "expected"), FIELDS.items(), ids=FIELDS.keys())
async def test_fields_are_read_from_the_message(make_llm, text, expected):
    """Service (as the profile names it) and desired time land in LeadFields."""
    result = await make_llm().complete(conversation(text))

    assert result.fields == LeadFields(*expected)


async def test_fields_gather_across_the_conversation(make_llm):
    """Service, day and hour said in different messages make one request."""
    request = conversation(
        "Хочу на стрижку",
        "На какой день и время вас записать?",
        "в субботу",
        "Во сколько?",
        "в 11",
    )

    result = await make_llm().complete(request)

    assert result.fields == LeadFields("Стрижка", "в субботу в 11:00")
    assert "Стрижка, в субботу в 11:00" in result.text


async def test_booking_without_service_asks_which_one(make_llm):
    """ "Хочу записаться" is answered with the services and a question about time."""
    result = await make_llm().complete(conversation("Хочу записаться"))

    assert "На какую услугу" in result.text
    assert "Маникюр, Маникюр с покрытием, Стрижка, Окрашивание волос" in result.text
    assert "день и время" in result.text


async def test_booking_with_service_asks_for_the_time(make_llm):
    """With the service known, the reply asks for the day and time."""
    result = await make_llm().complete(conversation("Хочу на маникюр"))

    assert result.text == "Отлично, Маникюр. На какой день и время вас записать?"


async def test_booking_with_service_and_time_is_noted(make_llm):
    """With both known, the reply repeats them and promises a confirmation."""
    result = await make_llm().complete(
        conversation("Запишите на стрижку завтра в 15:00")
    )

    assert "Стрижка, завтра в 15:00" in result.text
    assert "подтвердит" in result.text


async def test_day_without_hour_asks_for_the_hour(make_llm):
    """With the service and a day but no hour, the reply asks for the hour."""
    result = await make_llm().complete(conversation("Можно маникюр в субботу?"))

    assert result.text == "Отлично: Маникюр, в субботу. Во сколько вам удобно?"


async def test_hour_without_day_asks_for_the_day(make_llm):
    """With the service and an hour but no day, the reply asks for the day."""
    result = await make_llm().complete(conversation("Запишите на стрижку к 15:30"))

    assert result.text == "Отлично: Стрижка, к 15:30. На какой день вас записать?"


async def test_price_of_a_named_service(make_llm):
    """A price question naming a service gets that service's line only."""
    result = await make_llm().complete(conversation("Сколько стоит стрижка?"))

    assert result.text == "Наши цены: Стрижка — от 1200 ₽, 45 мин."


async def test_price_list_when_no_service_named(make_llm):
    """A general price question gets every service with its price."""
    result = await make_llm().complete(conversation("Добрый день! Какие у вас цены?"))

    assert result.text.startswith("Здравствуйте! Наши цены: Маникюр — от 1500 ₽")
    assert "Окрашивание волос — от 3500 ₽, 2 ч" in result.text


async def test_price_without_a_price_list_defers_to_the_administrator(make_llm):
    """Without services in the profile, prices are left to the administrator."""
    request = conversation("Сколько стоит стрижка?", system="Отвечай коротко.")

    result = await make_llm().complete(request)

    assert result.text == "Это уточнит администратор."


async def test_hours_and_address_come_from_the_profile(make_llm):
    """Hours and address questions are answered from the system message."""
    result = await make_llm().complete(
        conversation("Где вы находитесь и до скольки работаете?")
    )

    assert "ежедневно с 10:00 до 21:00" in result.text
    assert "ул. Образцовая, д. 1" in result.text


REPLIES = {
    "Здравствуйте!": "Здравствуйте! Чем могу помочь?",
    "Спасибо!": "Пожалуйста!",
    "У меня вопрос про [PERSON_1]": "Спасибо за сообщение! Администратор скоро",
    "в субботу": "Спасибо за сообщение!",
}


@pytest.mark.parametrize(("text", "start"), REPLIES.items(), ids=REPLIES.keys())
async def test_small_talk_and_anything_else(make_llm, text, start):
    """Greetings, thanks and unrecognised messages get a polite fixed answer."""
    result = await make_llm().complete(conversation(text))

    assert result.text.startswith(start)


async def test_english_message_is_answered_in_english(make_llm):
    """A message in Latin letters gets an English reply and English time."""
    result = await make_llm().complete(
        conversation("Hello! Can I book an appointment tomorrow at 3pm?")
    )

    assert result.text.startswith("Hello! Noted: tomorrow at 15:00.")
    assert "Which service would you like?" in result.text
    assert result.fields == LeadFields(None, "tomorrow at 15:00")


async def test_english_price_question(make_llm):
    """An English price question lists the prices in an English sentence."""
    result = await make_llm().complete(conversation("How much is a haircut?"))

    assert result.text.startswith("Our prices: Маникюр — от 1500 ₽")


async def test_placeholders_do_not_make_russian_english(make_llm):
    """Latin placeholders in a Russian message keep the reply Russian."""
    result = await make_llm().complete(conversation("[PERSON_1] хочет записаться"))

    assert "На какую услугу" in result.text
