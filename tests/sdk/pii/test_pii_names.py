"""People's names in chat Russian: every form, case and spelling."""

from __future__ import annotations

import pytest

from leadwire.pii.names import NameRecognizer


def names(text: str) -> list[str]:
    return [entity.value for entity in NameRecognizer().find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Меня зовут Кузнецова Дарья Олеговна", ["Кузнецова Дарья Олеговна"]),
        ("Здравствуйте, Дарья Олеговна!", ["Дарья Олеговна"]),
        ("записывалась к Петровой", ["Петровой"]),
        ("Записала Смирнова А.В. на среду", ["Смирнова А.В."]),
        ("Олеговна, добрый день", ["Олеговна"]),
        ("запишите к Петрову-Водкину", ["Петрову-Водкину"]),
    ],
)
def test_full_names_and_their_parts(text, expected):
    """Full ФИО, first name with patronymic, surname alone, initials."""
    assert names(text) == expected


@pytest.mark.parametrize(
    ("text", "expected", "lemma"),
    [
        ("запишите Машеньку на стрижку", "Машеньку", "машенька"),
        ("санёк подъедет к пяти", "санёк", "саня"),
        ("позовите Димона", "Димона", None),
        ("передайте Катюше спасибо", "Катюше", "катюша"),
    ],
)
def test_diminutives(text, expected, lemma):
    """Diminutives the dictionary knows and those built with a known suffix."""
    [entity] = NameRecognizer().find(text)

    assert entity.value == expected
    if lemma:
        assert entity.normalized == lemma


@pytest.mark.parametrize(
    "text",
    ["к Ольге на маникюр", "у ольги свободно?", "с ольгой договорились", "ольгу"],
)
def test_any_grammatical_case_any_letter_case(text):
    """A name in any case, capitalised or not, has the nominative as its key."""
    [entity] = NameRecognizer().find(text)

    assert entity.normalized == "ольга"


def test_all_caps():
    """A message typed in capitals still shows its names."""
    assert names("МЕНЯ ЗОВУТ ИВАНОВА МАРИЯ, ЗАПИШИТЕ") == ["ИВАНОВА МАРИЯ"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("menya zovut olya", ["olya"]),
        ("privet, eto sasha", ["sasha"]),
        ("Dmitriy Sergeevich, dobryy den", ["Dmitriy Sergeevich"]),
        ("hi, my name is Gulnaz", ["Gulnaz"]),
    ],
)
def test_latin_transliteration(text, expected):
    """Names spelt in Latin letters are transliterated and found."""
    assert names(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "надежда есть, что успею",
        "Надежда есть?",
        "роза в подарок к маникюру",
        "вера в мастеров у меня есть",
        "любовь к шеллаку",
        "Слава богу, успела",
    ],
)
def test_words_that_are_also_names_used_as_words(text):
    """Вера, надежда, роза, любовь, слава as plain words are not names."""
    assert names(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("меня зовут вера", ["вера"]),
        ("я Надежда, записывалась вчера", ["Надежда"]),
        ("Записала Розу на пятницу", ["Розу"]),
        ("надежда петровна, здравствуйте", ["надежда петровна"]),
        ("привет, это света", ["света"]),
        ("Надежда, здравствуйте! Запись в силе?", ["Надежда"]),
        ("Милана или Виктория свободны?", ["Милана", "Виктория"]),
    ],
)
def test_the_same_words_as_names(text, expected):
    """The same words are names after "зовут"/"я", capitalised mid-sentence,
    or beside a patronymic."""
    assert names(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Шеллак сколько стоит?",
        "живём на ул. Ленина, у метро Гагарина",
        "Позвоинте мне завтра",
        "как вас зовут?",
        "я из Подольска, доеду к 11",
        "здравствуйте, я по поводу записи",
        "Сколько стоит Гель-лак с дизайном?",
    ],
)
def test_not_names(text):
    """Service names, streets and stations, typos and questions are not names."""
    assert names(text) == []


def test_unknown_name_in_capitals_is_left_to_ner():
    """A capitalised name the dictionary does not know is found by the NER."""
    assert names("Завтра придёт Айсулуу Бекбоева") == ["Айсулуу Бекбоева"]
