"""Full names as one person: unknown surnames, any order and case, Latin letters."""

from __future__ import annotations

import pytest

from leadwire.pii.names import NameRecognizer


def names(text: str, *, use_ner: bool = True) -> list[str]:
    return [entity.value for entity in NameRecognizer(use_ner=use_ner).find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # known only as a plural noun ("доступов", "отзывов") or not at all
        ("Я Семён Доступов, записывался к вам", ["Семён Доступов"]),
        ("Меня зовут Игорь Отзывов, удобно в понедельник", ["Игорь Отзывов"]),
        ("Агафья Кнопочкина, перенесите меня", ["Агафья Кнопочкина"]),
        # an adjective-shaped surname
        ("Наталья Полуночная, завтра в 10", ["Наталья Полуночная"]),
        # surname first, patronymic last or in the middle
        ("Доступов Семён Игоревич, запись на 12:40", ["Доступов Семён Игоревич"]),
        ("Тихон Ильич Задворенский, запись к хирургу", ["Тихон Ильич Задворенский"]),
        # other endings: -ко, -ук, -ский in a grammatical case
        ("Добрый день, Громыхенко Анфиса", ["Громыхенко Анфиса"]),
        ("запишите Перепелюка Стаса на замену масла", ["Перепелюка Стаса"]),
        ("передайте Филимону Задворенскому", ["Филимону Задворенскому"]),
    ],
)
def test_a_surname_no_dictionary_has_joins_the_first_name(text, expected):
    """A surname-shaped word beside a given name is part of one PERSON span."""
    assert names(text) == expected


def test_the_surname_is_found_without_ner():
    """The surname's ending alone marks it; natasha's NER is not needed."""
    assert names("Я Семён Доступов, записывался", use_ner=False) == ["Семён Доступов"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("я семён доступов, звонил вчера", ["семён доступов"]),
        ("меня зовут доступов семён", ["доступов семён"]),
        ("запишите михаила пирожкова на стрижку", ["михаила пирожкова"]),
        # no word of the dictionary looks like "кнопочкин"
        ("кнопочкин руслан, машина на ТО", ["кнопочкин руслан"]),
        ("максим задворенко, стрижка в 18", ["максим задворенко"]),
        ("МЕНЯ ЗОВУТ СЕМЁН ДОСТУПОВ", ["СЕМЁН ДОСТУПОВ"]),
    ],
)
def test_lower_case_full_names_after_a_cue(text, expected):
    """In lower case a surname joins the name after a cue or when no word
    of the dictionary looks like it; in capitals, beside a name in capitals."""
    assert names(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "семён доступов звонил",  # a known word, lower case, no cue
        "Семён, доступов к базе нет",  # a comma parts them
    ],
)
def test_a_lower_case_known_word_without_a_cue_stays(text):
    """A known word in lower case beside a name is no surname without a cue."""
    assert [name.lower() for name in names(text)] == ["семён"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Zapishite na Darya Obraztsova, pozhaluysta", ["Darya Obraztsova"]),
        ("zapishite olga petrenko na manikyur", ["olga petrenko"]),
        ("Call me Igor, I need a tyre change", ["Igor"]),
        ("Great, I'm John Testerson, tomorrow at 3 pm", ["John Testerson"]),
        ("Hello, my name is Laura Fenwick", ["Laura Fenwick"]),
        ("hello, my name is emily ashcombe", ["emily ashcombe"]),
        ("This is Mike, I need to move my visit", ["Mike"]),
        ("i'm olivia, can i come today?", ["olivia"]),
    ],
)
def test_latin_letter_names(text, expected):
    """Russian names in Latin letters (soft signs restored) and English names
    after an introduction, with the surname beside them."""
    assert names(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "I am Russian but live in Riga, can I book online?",
        "do you have time on Friday?",
        "I'm late, sorry, this is urgent",
        "I'm Fine with Tuesday",
        "Шеллак Делюкс или обычный, какой держится дольше?",
        "я из Подольска, у вас есть филиал ближе?",
        "Мы из Одинцова, приедем всей семьёй",
        "Вера в чудеса не помогла, нужна пломба",
        "надежда есть, что успею до шести",
    ],
)
def test_no_name_where_there_is_none(text):
    """Nationalities, English words, services, towns and common words stay."""
    assert names(text) == []


def test_a_place_after_a_name_is_no_surname():
    """A surname-shaped word before "область" or "улица" names a place."""
    assert names("это Марина Московская область, Химки") == ["Марина"]


def test_a_car_stays_at_most_one_span():
    """ "Лада Веста" is over-detected as before, never split or grown."""
    assert len(names("у меня Лада Веста, нужна диагностика")) <= 1
    assert "диагностика" not in " ".join(names("у меня Лада Веста, нужна диагностика"))
