"""Generate the development corpus of invented Russian chat messages.

Every message comes from a template filled with invented values; every span
of personal data is annotated as it is written. Document numbers are made
with their check digits by code; phones use the obviously fake subscriber
block 000. About a third of the messages hold no personal data but many
look-alikes: prices, times, order numbers, cities, service names, words that
are also names.

    python benchmarks/pii/generate_corpus.py      # writes corpus.jsonl here
    python benchmarks/pii/generate_corpus.py --seed 7 /tmp/other.jsonl
    python benchmarks/pii/generate_corpus.py --markup heldout.txt heldout.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

import pymorphy3

from leadwire.pii.checksums import make_inn10, make_inn12, make_luhn, make_snils

HERE = Path(__file__).parent
SEED = 152
MORPH = pymorphy3.MorphAnalyzer()

FEMALE = [
    "Анна", "Мария", "Ольга", "Екатерина", "Наталья", "Татьяна", "Ирина",
    "Светлана", "Юлия", "Дарья", "Алина", "Ксения", "Полина", "Виктория",
    "Елена", "Кристина", "Софья", "Гульнара", "Зульфия", "Валентина",
]  # fmt: skip
MALE = [
    "Иван", "Пётр", "Сергей", "Алексей", "Дмитрий", "Андрей", "Михаил",
    "Николай", "Артём", "Максим", "Тимур", "Руслан", "Олег", "Игорь", "Владимир",
]  # fmt: skip
DIMINUTIVES = [
    "Маша", "Машенька", "Катя", "Катюша", "Оля", "Оленька", "Наташа", "Таня",
    "Танюша", "Ира", "Света", "Юля", "Даша", "Саша", "Санёк", "Женя", "Женёк",
    "Дима", "Димон", "Лёша", "Лёха", "Серёжа", "Петя", "Ваня", "Ванечка",
    "Миша", "Коля", "Вова", "Вовчик", "Настя", "Настенька", "Леночка",
]  # fmt: skip
LATIN_NAMES = ["olya", "sasha", "katya", "masha", "dima", "natasha", "ira", "yulia"]
SURNAMES = [
    "Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов",
    "Михайлов", "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев",
    "Семёнов", "Егоров", "Павлов", "Козлов", "Степанов", "Николаев", "Орлов",
    "Андреев", "Макаров", "Никитин", "Захаров", "Зайцев", "Борисов", "Яковлев",
    "Григорьев", "Романов", "Сергеев", "Мирзоев", "Абдуллаев", "Белоусов",
]  # fmt: skip
PATRONYMIC_BASES = ["Иван", "Петр", "Сергее", "Алексее", "Андрее", "Михайл", "Олег"]
# Invented surnames no dictionary has, or has only as another word (the
# genitive plural of a noun: "Пирожков", "Потолков"); masculine forms.
UNKNOWN_SURNAMES = [
    "Кнопочкин", "Ветрогонов", "Пружинский", "Тестоедов", "Задворенко",
    "Перепелюк", "Бабайкин", "Крендельский", "Пирожков", "Потолков",
    "Лучезаров", "Шпилькин", "Подснежный", "Карамелько", "Засовский",
]  # fmt: skip
# Russian names as Latin letters spell them, and English names.
LATIN_FIRST = ["Darya", "Tatyana", "Natalya", "Igor", "Sergey", "Yulia", "Olga"]
LATIN_SURNAMES = ["Kuznetsova", "Sokolov", "Vetrova", "Gromov", "Petrenko"]
ENGLISH_FIRST = ["Emily", "Michael", "Sarah", "David", "James", "Olivia"]
ENGLISH_SURNAMES = ["Harcourt", "Stonebridge", "Pemberton", "Ashcombe", "Thornley"]
AMBIGUOUS = ["Вера", "Надежда", "Роза", "Любовь", "Лилия"]
STREETS = [
    "Ленина", "Пушкина", "Гагарина", "Садовая", "Лесная", "Советская",
    "Молодёжная", "Центральная", "Школьная", "Набережная", "Мира", "Победы",
    "Кирова", "Чкалова", "8 Марта", "Строителей", "Заречная", "Зелёная",
]  # fmt: skip
STREET_KINDS = ["ул.", "улица", "ул", "пр-т", "проспект", "пер.", "бульвар"]
CITIES = ["Москве", "Казани", "Екатеринбурге", "Новосибирске", "Самаре", "Твери"]
FROM_CITIES = ["Подольска", "Мытищ", "Химок", "Люберец", "Зеленограда", "Одинцова"]
WEEKDAYS_EN = ["Monday", "Tuesday", "Friday", "Saturday"]
METRO = ["Сокол", "Маяковская", "Чистые пруды", "Площадь Ленина", "Динамо"]
SERVICES = {
    "salon": ["маникюр", "педикюр", "шеллак", "наращивание ресниц", "стрижку",
              "окрашивание", "коррекцию бровей", "ламинирование ресниц"],
    "clinic": ["приём терапевта", "УЗИ", "анализы", "приём гинеколога", "ЭКГ"],
    "car": ["замену масла", "шиномонтаж", "диагностику", "развал-схождение"],
    "dental": ["чистку", "пломбу", "отбеливание", "консультацию ортодонта"],
    "fitness": ["пилатес", "йогу", "персональную тренировку", "бассейн"],
}  # fmt: skip
EMAIL_DOMAINS = ["example.ru", "example.com", "mail.example.ru", "пример.рф"]
EMOJI = ["😊", "🙏", "💅", "👍", "❤️", "🔥", "😉", ")))"]
PLATE_LETTERS = "АВЕКМНОРСТУХ"
LATIN_LOOKALIKE = str.maketrans("АВЕКМНОРСТУХ", "ABEKMHOPCTYX")


def inflect(word: str, case: str) -> str:
    """*word* in grammatical *case*, keeping its capital letter."""
    parses = MORPH.parse(word.lower())
    named = [p for p in parses if {"Name", "Surn", "Patr"} & set(p.tag.grammemes)]
    for parse in named or parses:
        form = parse.inflect({case})
        if form:
            text = form.word
            return text[:1].upper() + text[1:] if word[:1].isupper() else text
    return word


def feminine_surname(surname: str) -> str:
    if surname.endswith(("ов", "ев", "ёв", "ин")):
        return surname + "а"
    if surname.endswith(("ский", "цкий", "ный")):
        return surname[:-2] + "ая"
    return surname


# Surname types the dictionary cannot inflect: ending, letters it drops,
# and the dative and accusative endings put in their place. Longer first.
_SURNAME_CASES = [
    (("ова", "ева", "ина"), 1, {"datv": "ой", "accs": "у"}),
    (("ов", "ев", "ин"), 0, {"datv": "у", "accs": "а"}),
    (("ий", "ый"), 2, {"datv": "ому", "accs": "ого"}),
    (("ая",), 2, {"datv": "ой", "accs": "ую"}),
]


def inflect_surname(surname: str, case: str) -> str:
    """*surname* in *case* by the rules of its type; -ко and -ук stay as they are."""
    for endings, dropped, forms in _SURNAME_CASES:
        if surname.endswith(endings):
            return surname[: len(surname) - dropped] + forms[case]
    return surname


class Message:
    """A message under construction: text and the gold spans in it."""

    def __init__(self) -> None:
        self.text = ""
        self.spans: list[dict[str, object]] = []

    def add(self, piece: str, kind: str | None = None) -> None:
        if kind:
            self.spans.append(
                {
                    "type": kind,
                    "start": len(self.text),
                    "end": len(self.text) + len(piece),
                }
            )
        self.text += piece


class Values:
    """Invented values for the template slots."""

    def __init__(self, rng: random.Random, domain: str) -> None:
        self.rng = rng
        self.domain = domain

    def choice(self, items):  # type: ignore[no-untyped-def]
        return self.rng.choice(items)

    def digits(self, count: int) -> str:
        return "".join(str(self.rng.randint(0, 9)) for _ in range(count))

    # -- names --------------------------------------------------------------

    def person(self) -> tuple[str, str, str]:
        """First name, surname and patronymic of one invented person."""
        female = self.rng.random() < 0.6
        first = self.choice(FEMALE if female else MALE)
        surname = self.choice(SURNAMES)
        base = self.choice(PATRONYMIC_BASES)
        if female:
            return (
                first,
                feminine_surname(surname),
                base + ("овна" if base[-1] not in "е" else "вна"),
            )
        return first, surname, base + ("ович" if base[-1] not in "е" else "вич")

    def unknown_person(self) -> tuple[str, str, str, bool]:
        """A person whose surname no dictionary has; the last item says female."""
        first, _, patronymic = self.person()
        female = patronymic.endswith("вна")
        surname = self.choice(UNKNOWN_SURNAMES)
        return (
            first,
            feminine_surname(surname) if female else surname,
            patronymic,
            female,
        )

    def full_name_in_case(self, case: str) -> str:
        """First name and unknown surname, both in grammatical *case*."""
        first, surname, _, _ = self.unknown_person()
        return f"{inflect(first, case)} {inflect_surname(surname, case)}"

    def slot(self, name: str) -> tuple[str, str | None]:
        """The text for slot *name*, and its entity type (None if not personal)."""
        rng = self.rng
        first, surname, patronymic = self.person()
        u_first, u_surname, u_patronymic, _ = self.unknown_person()
        fillers = {
            "first": lambda: (first, "PERSON"),
            "first_dat": lambda: (inflect(first, "datv"), "PERSON"),
            "first_acc": lambda: (inflect(first, "accs"), "PERSON"),
            "fi": lambda: (f"{first} {surname}", "PERSON"),
            "if": lambda: (f"{surname} {first}", "PERSON"),
            "full": lambda: (f"{surname} {first} {patronymic}", "PERSON"),
            "name_patr": lambda: (f"{first} {patronymic}", "PERSON"),
            "surname_dat": lambda: (inflect(surname, "datv"), "PERSON"),
            "surname_initials": lambda: (
                f"{surname} {first[0]}.{patronymic[0]}.",
                "PERSON",
            ),
            "dim": lambda: (self.choice(DIMINUTIVES), "PERSON"),
            "dim_acc": lambda: (inflect(self.choice(DIMINUTIVES), "accs"), "PERSON"),
            "lat": lambda: (self.choice(LATIN_NAMES), "PERSON"),
            "fi_new": lambda: (f"{u_first} {u_surname}", "PERSON"),
            "if_new": lambda: (f"{u_surname} {u_first}", "PERSON"),
            "full_new": lambda: (
                self.choice(
                    [
                        f"{u_surname} {u_first} {u_patronymic}",
                        f"{u_first} {u_patronymic} {u_surname}",
                        f"{u_first} {u_surname}",
                    ]
                ),
                "PERSON",
            ),
            "fi_new_dat": lambda: (self.full_name_in_case("datv"), "PERSON"),
            "fi_new_acc": lambda: (self.full_name_in_case("accs"), "PERSON"),
            "fi_new_lower": lambda: (f"{u_first} {u_surname}".lower(), "PERSON"),
            "lat_full": lambda: (
                f"{self.choice(LATIN_FIRST)} {self.choice(LATIN_SURNAMES)}",
                "PERSON",
            ),
            "en_full": lambda: (
                f"{self.choice(ENGLISH_FIRST)} {self.choice(ENGLISH_SURNAMES)}",
                "PERSON",
            ),
            "en_first": lambda: (self.choice(ENGLISH_FIRST), "PERSON"),
            "amb": lambda: (self.choice(AMBIGUOUS), "PERSON"),
            "amb_patr": lambda: (
                f"{self.choice(AMBIGUOUS)} {self.choice(PATRONYMIC_BASES)}овна",
                "PERSON",
            ),
            "phone": lambda: (self.phone(), "PHONE"),
            "landline": lambda: (self.landline(), "PHONE"),
            "phone_ext": lambda: (
                self.phone()
                + self.choice([" доб. ", " доб.", ", доб "])
                + self.digits(3),
                "PHONE",
            ),
            "email": lambda: (self.email(), "EMAIL"),
            "address": lambda: (self.address(), "ADDRESS"),
            "address_informal": lambda: (self.informal_address(), "ADDRESS"),
            "passport": lambda: (self.passport(), "PASSPORT"),
            "snils": lambda: (self.snils(), "SNILS"),
            "snils_bad": lambda: (self.snils(valid=False), "SNILS"),
            "inn10": lambda: (make_inn10(self.digits(9)), "INN"),
            "inn12": lambda: (make_inn12(self.digits(10)), "INN"),
            "card": lambda: (self.card(), "CARD"),
            "oms": lambda: (self.digits(16), "OMS"),
            "account": lambda: ("40817810" + self.digits(12), "ACCOUNT"),
            "birth": lambda: (self.birthdate(), "BIRTHDATE"),
            "plate": lambda: (self.plate(), "PLATE"),
            "handle": lambda: (
                "@"
                + self.choice(["nails", "kate", "ivan", "beauty", "test"])
                + "_"
                + self.digits(3)
                + "_demo",
                "HANDLE",
            ),
            # Not personal data.
            "service": lambda: (self.choice(SERVICES[self.domain]), None),
            "price": lambda: (self.price(), None),
            "time": lambda: (self.time(), None),
            "date": lambda: (self.appointment_date(), None),
            "city": lambda: (self.choice(CITIES), None),
            "from_city": lambda: (self.choice(FROM_CITIES), None),
            "weekday_en": lambda: (self.choice(WEEKDAYS_EN), None),
            "metro": lambda: (self.choice(METRO), None),
            "street_only": lambda: (
                f"{self.choice(STREET_KINDS)} {self.choice(STREETS)}",
                None,
            ),
            "order": lambda: (self.digits(rng.choice([6, 8, 9, 10])), None),
            "uuid": lambda: (self.uuid(), None),
            "percent": lambda: (str(rng.choice([5, 10, 15, 20, 30])), None),
            "promo": lambda: ("SALE" + str(rng.randint(10, 99)), None),
            "count": lambda: (str(rng.randint(2, 12)), None),
        }
        return fillers[name]()

    def phone(self) -> str:
        code = f"9{self.rng.randint(0, 99):02d}"
        a, b = self.digits(2), self.digits(2)
        forms = [
            f"+7 ({code}) 000-{a}-{b}", f"8 {code} 000 {a} {b}", f"8{code}000{a}{b}",
            f"+7{code}000{a}{b}", f"8-{code}-000-{a}-{b}", f"8({code})000{a}{b}",
            f"+7 {code} 000 {a}{b}", f"{code}000{a}{b}", f"+7-{code}-000-{a}-{b}",
            f"8 ({code}) 000-{a}-{b}", f"+7 {code} 000-{a}-{b}", f"7{code}000{a}{b}",
        ]  # fmt: skip
        return self.choice(forms)

    def landline(self) -> str:
        a, b = self.digits(2), self.digits(2)
        forms = [
            f"8 (812) 000-{a}-{b}", f"8 (4012) 00-{a}-{b}", f"+7 (495) 000-{a}-{b}",
            f"8 (3452) 00{a}{b}", f"(843) 000-{a}-{b}",
        ]  # fmt: skip
        return self.choice(forms)

    def email(self) -> str:
        local = self.choice(
            ["anna", "ivan.petrov", "kate_88", "olga-k", "masha2001", "client"]
        )
        return f"{local}{self.rng.randint(1, 99)}@{self.choice(EMAIL_DOMAINS)}"

    def address(self) -> str:
        street = f"{self.choice(STREET_KINDS)} {self.choice(STREETS)}"
        house = self.rng.randint(1, 150)
        flat = self.rng.randint(1, 300)
        forms = [
            f"{street}, д. {house}, кв. {flat}", f"{street} {house}, кв {flat}",
            f"{street}, {house}к{self.rng.randint(1, 5)}, кв. {flat}",
            f"г. Казань, {street}, д. {house}",
            f"{street} {house}/{self.rng.randint(1, 9)}",
            f"{street}, дом {house}, квартира {flat}",
        ]  # fmt: skip
        return self.choice(forms)

    def informal_address(self) -> str:
        street = self.choice(STREETS).lower()
        return f"{street} {self.rng.randint(1, 99)}-{self.rng.randint(1, 200)}"

    def passport(self) -> str:
        series, number = self.digits(4), self.digits(6)
        return self.choice(
            [
                f"{series} {number}",
                f"{series[:2]} {series[2:]} {number}",
                f"{series}{number}",
            ]
        )

    def snils(self, *, valid: bool = True) -> str:
        number = make_snils(self.digits(9))
        if not valid:
            number = number[:10] + str((int(number[10]) + 1) % 10)
        return self.choice(
            [f"{number[:3]}-{number[3:6]}-{number[6:9]} {number[9:]}", number]
        )

    def card(self) -> str:
        number = make_luhn("4000" + self.digits(11))
        return self.choice(
            [" ".join(number[i : i + 4] for i in range(0, 16, 4)), number]
        )

    def birthdate(self) -> str:
        day, month, year = (
            self.rng.randint(1, 28),
            self.rng.randint(1, 12),
            self.rng.randint(1950, 2008),
        )
        months = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля",
                  "августа", "сентября", "октября", "ноября", "декабря"]  # fmt: skip
        return self.choice(
            [
                f"{day:02d}.{month:02d}.{year}",
                f"{day} {months[month - 1]} {year}",
                f"{day:02d}.{month:02d}.{year % 100:02d}",
            ]
        )

    def plate(self) -> str:
        letters = "".join(self.choice(PLATE_LETTERS) for _ in range(3))
        region = self.choice(["77", "99", "197", "16", "116"])
        plate = f"{letters[0]}{self.digits(3)}{letters[1:]}{region}"
        if self.rng.random() < 0.4:
            plate = plate.translate(LATIN_LOOKALIKE)
        if self.rng.random() < 0.3:
            plate = plate.lower()
        if self.rng.random() < 0.3:
            plate = f"{plate[:6]} {plate[6:]}"
        return plate

    def price(self) -> str:
        amount = self.rng.choice([900, 1500, 2500, 3200, 12000, 45000])
        return self.choice(
            [
                f"{amount} руб",
                f"{amount:,}".replace(",", " ") + " ₽",
                f"{amount}р",
                f"{amount // 1000}к",
            ]
        )

    def time(self) -> str:
        hour = self.rng.randint(9, 20)
        return self.choice(
            [f"{hour}:00", f"{hour}:30", f"{hour}.30", f"{hour}-00", str(hour)]
        )

    def appointment_date(self) -> str:
        day, month = self.rng.randint(1, 28), self.rng.randint(1, 12)
        months = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля",
                  "августа", "сентября", "октября", "ноября", "декабря"]  # fmt: skip
        return self.choice(
            [
                f"{day:02d}.{month:02d}",
                f"{day} {months[month - 1]}",
                f"{day:02d}.{month:02d}.2026",
                "субботу",
                "завтра",
            ]
        )

    def uuid(self) -> str:
        hexdigits = "0123456789abcdef"
        parts = [8, 4, 4, 4, 12]
        return "-".join(
            "".join(self.choice(hexdigits) for _ in range(n)) for n in parts
        )


# Templates: {slot} is filled; the rest is text. Domain first.
PERSONAL = [
    (
        "salon",
        "Здравствуйте! Меня зовут {first}, хочу записаться на {service} на {date} "
        "в {time}. Мой номер {phone}",
    ),
    (
        "salon",
        "добрый день, запишите {dim_acc} на {service} к {first_dat}, телефон {phone}",
    ),
    ("salon", "{fi}, {phone}, {service} {date}"),
    (
        "salon",
        "Привет) это {dim}, можно перенести запись на {time}? если что пишите {handle}",
    ),
    ("salon", "Меня зовут {full}, дата рождения {birth}. Почта {email}"),
    ("salon", "мой номер {phone} а почта {email}"),
    ("salon", "Запишите пожалуйста на {service}, {fi}, {phone}"),
    ("salon", "живу на {address}, можно мастера на дом?"),
    ("salon", "звоните{phone}или пишите {email}"),
    ("salon", "Меня зовут {amb}, запишите на {service} на {date}"),
    ("salon", "{amb_patr}, здравствуйте! Подтверждаю запись на {time}"),
    ("salon", "почты {email} {email}, любая"),
    ("salon", "я {amb}, записывалась на {service}"),
    (
        "clinic",
        "Здравствуйте, хочу записаться на {service}. {full}, полис ОМС {oms}, "
        "СНИЛС {snils}",
    ),
    ("clinic", "Паспорт {passport}, дата рождения {birth}, {fi}"),
    ("clinic", "для справки нужен мой снилс? вот {snils}"),
    ("clinic", "мой снилс {snils_bad} вроде так"),
    ("clinic", "ИНН {inn12}, {full}"),
    (
        "clinic",
        "Добрый вечер! Запись для ребенка, мама {fi}, тел. {phone}, адрес {address}",
    ),
    ("clinic", "Позвоните в регистратуру по {landline}, спросите {first_acc}"),
    ("clinic", "полис {oms} и паспорт серия {passport}"),
    ("car", "Машина {plate}, запишите на {service} на {date}, {first}, {phone}"),
    ("car", "гос номер {plate} забрать можно в {time}? {phone}"),
    ("car", "Оплачу картой {card}, счет для юрлица: ИНН {inn10}, р/с {account}"),
    ("car", "Гражданин {surname_initials}, авто {plate}"),
    ("car", "тел:{phone_ext} это {first}"),
    (
        "dental",
        "Здравствуйте! Я {first}, записывалась к доктору {surname_dat}, "
        "перенесите на {date}",
    ),
    ("dental", "карта {card} не проходит, переведу на {phone} по сбп"),
    ("dental", "ИНН для вычета {inn12}, {if}"),
    ("fitness", "Хочу абонемент на {service}. {fi}, {birth} г.р., {email}"),
    ("fitness", "тренер {first} сказал писать сюда, мой телеграм {handle}"),
    ("fitness", "я на {address_informal}, можно доставку формы?"),
    ("fitness", "живу на {address_informal} подъезд 2"),
    ("salon", "privet, menya zovut {lat}, zapishite na manikyur, moy nomer {phone}"),
    ("salon", "zdravstvuyte, eto {lat}, pochta {email}"),
    ("clinic", "ЗДРАВСТВУЙТЕ, МЕНЯ ЗОВУТ {full}, ТЕЛЕФОН {phone}"),
    ("fitness", "{name_patr}, добрый день! Мой номер {phone}, запишите на {service}"),
    # Surnames no dictionary has, full names in several orders and cases.
    ("salon", "Я {fi_new}, записывалась к вам на {service}"),
    ("salon", "{fi_new}, {phone}, {service} {date}"),
    ("clinic", "{full_new}, запись на {service} на {date}"),
    ("dental", "Меня зовут {full_new}, перенесите меня на {date}"),
    ("car", "{if_new}, машина {plate}, {service}"),
    ("salon", "запишите {fi_new_acc} на {service} в {time}"),
    ("clinic", "передайте {fi_new_dat}, что анализы готовы? мой номер {phone}"),
    ("fitness", "это {fi_new_lower}, хочу заморозить абонемент"),
    # Latin letters: Russian names spelt in Latin, English names after a cue.
    ("salon", "Zapishite {lat_full} na manikyur, {phone}"),
    ("salon", "Hi! I'm {en_full}, can I book a haircut for {weekday_en}?"),
    ("fitness", "Hello, my name is {en_full}, {phone}"),
    ("dental", "This is {en_first}, I need to move my visit, {phone}"),
    ("car", "{lat_full}, {phone}, zamena masla v {time}"),
]
CONFUSERS = [
    ("salon", "Сколько стоит {service}? Видела у вас за {price}"),
    ("salon", "Заказ №{order} когда будет готов? Оплатила {price}"),
    ("salon", "Можно на {date} в {time}? Я в {city} буду только после {time}"),
    ("salon", "у вас на {street_only} рядом с метро {metro}?"),
    ("salon", "Надежда есть, что успею до {time}"),
    ("salon", "роза в подарок к {service}? это акция?"),
    ("salon", "вера в мастеров у меня есть, но {price} дорого"),
    ("salon", "любовь к {service} у меня с детства"),
    ("salon", "{service} + {service} = {price}, скидка {percent}%"),
    ("salon", "сделайте мне шеллак, френч и дизайн на 2 ногтя"),
    ("clinic", "номер заявки {uuid}, когда ответ?"),
    ("clinic", "Записаться на {date} нельзя? Тогда {date} в {time}"),
    ("clinic", "у вас кабинет 205, 3 этаж? {service} во сколько?"),
    ("clinic", "Я приеду из {city} поездом в {time}, успею к {time}?"),
    ("car", "Машина на ремонте, номер заказа {order}, стоимость {price}"),
    ("car", "Акция до {date}: {service} всего {price}! Промокод {promo}"),
    ("car", "перезвоните в 17.30 или 18-00, сейчас за рулём"),
    ("dental", "сколько дней заживает после {service}? {count}-{count} дней?"),
    ("dental", "Время работы до 21:00? В субботу с 10 до 18?"),
    ("fitness", "в ТЦ на {count} этаже? напротив метро {metro}"),
    ("fitness", "Спасибо огромное!!! Всё понравилось, {service} просто супер"),
    ("fitness", "абонемент на {count} месяцев за {price}, заказ {order}"),
    ("dental", "запись на {date} в {time} подтверждаю, заказ №{order}"),
    ("salon", "Слава богу успела, {service} огонь"),
    ("salon", "я из {from_city}, вы далеко от станции?"),
    ("car", "у меня Лада Гранта, сколько стоит {service}?"),
    ("fitness", "Do you have time on {weekday_en}? I am Russian, my English is bad"),
    ("salon", "Шеллак Делюкс или обычный, какой держится дольше?"),
    ("dental", "Мы из {from_city}, приедем всей семьёй на {service}"),
]


def render(template: str, values: Values, rng: random.Random) -> Message:
    message = Message()
    position = 0
    for match in re.finditer(r"\{(\w+)\}", template):
        message.add(_typo(template[position : match.start()], rng))
        text, kind = values.slot(match.group(1))
        message.add(text, kind)
        position = match.end()
    message.add(_typo(template[position:], rng))
    if re.sub(r"\{\w+\}", "", template).isupper():
        message.text = message.text.upper()
    return message


def _typo(text: str, rng: random.Random) -> str:
    """Now and then swap two letters of a word, as fast typers do."""
    if rng.random() > 0.15:
        return text
    words = [m for m in re.finditer(r"[а-яё]{5,}", text)]
    if not words:
        return text
    word = rng.choice(words)
    at = rng.randint(word.start() + 1, word.end() - 2)
    return text[:at] + text[at + 1] + text[at] + text[at + 2 :]


def styled(message: Message, rng: random.Random) -> Message:
    """Lower-case some messages, add emojis to others; spans stay put."""
    if message.text.isupper():
        return message
    if rng.random() < 0.25:
        message.text = message.text.lower()
    if rng.random() < 0.3:
        message.text += " " + rng.choice(EMOJI)
    return message


def generate(
    personal: int = 300, confusers: int = 150, seed: int = SEED
) -> list[dict[str, object]]:
    rng = random.Random(seed)
    corpus = []
    for index in range(personal + confusers):
        templates = PERSONAL if index < personal else CONFUSERS
        domain, template = templates[index % len(templates)]
        message = styled(render(template, Values(rng, domain), rng), rng)
        corpus.append(
            {
                "id": index + 1,
                "domain": domain,
                "confuser": index >= personal,
                "text": message.text,
                "spans": message.spans,
            }
        )
    return corpus


MARK = re.compile(r"\[\[([A-Z_]+)\|(.+?)\]\]")


def from_markup(path: Path) -> list[dict[str, object]]:
    """Messages written by hand with [[TYPE|value]] marks, as corpus records."""
    corpus = []
    for line in path.read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        message = Message()
        position = 0
        for match in MARK.finditer(line):
            message.add(line[position : match.start()])
            message.add(match.group(2), match.group(1))
            position = match.end()
        message.add(line[position:])
        corpus.append(
            {
                "id": len(corpus) + 1,
                "domain": "heldout",
                "confuser": not message.spans,
                "text": message.text,
                "spans": message.spans,
            }
        )
    return corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", type=Path, default=HERE / "corpus.jsonl")
    parser.add_argument("--seed", type=int, default=SEED, help="other fillers")
    parser.add_argument(
        "--markup", type=Path, help="convert a hand-marked file such as heldout.txt"
    )
    arguments = parser.parse_args()
    if arguments.markup:
        corpus = from_markup(arguments.markup)
    else:
        corpus = generate(seed=arguments.seed)
    target = arguments.output
    with target.open("w", encoding="utf-8") as out:
        for record in corpus:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"wrote {len(corpus)} messages to {target}")


if __name__ == "__main__":
    main()
