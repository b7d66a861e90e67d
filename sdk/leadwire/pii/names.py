"""People's names: full ФИО, first names, surnames, patronymics, diminutives.

Words are looked up in pymorphy3's dictionary, which knows names in every
grammatical case and in lower case ("машеньку", "олеговна"). A word that is
only sometimes a name (вера, надежда, роза, любовь) counts as one when the
text says so: a capital letter inside a sentence, a neighbouring name
("Вера Петровна") or an introduction ("меня зовут вера"). Capitalised words
the dictionary does not know are left to natasha's NER. Latin spellings
("menya zovut olya") are transliterated first.

A full name is one span: a word beside a given name or patronymic joins it
when it reads as a surname, by the dictionary, by a surname's ending (most
surnames in chats are in no dictionary: "Семён Тестонов") or by NER. English
names, which no Russian dictionary has, are taken after an introduction
("I'm John Testerson").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

import attrs

from leadwire.models import Entity
from leadwire.pii._language import WordInfo, analyse, morph, ner_people
from leadwire.pii._translit import spellings

__all__ = ["NameRecognizer"]

_WORD = re.compile(r"[A-Za-zА-Яа-яЁё]+(?:-[A-Za-zА-Яа-яЁё]+)*")
_SENTENCE_END = re.compile(r"[.!?…\n]")
_INITIALS = re.compile(r"\s?[А-ЯЁа-яё]\.\s?(?:[А-ЯЁа-яё]\.?)?(?!\w)")
_INITIALS_AFTER = re.compile(r"\s?[А-ЯЁа-яё]\.\s?[А-ЯЁа-яё]\.")
_INITIALS_BEFORE = re.compile(r"[А-ЯЁ]\.\s?(?:[А-ЯЁ]\.\s?)?$")

# Words after which the next word is a name, whatever else it could be.
_INTRODUCERS = frozenset(
    {"звать", "зовите", "имя", "называйте"}
    # "зовут" and its one-swap typos ("зовту", "озвут")
    | {"зовут"[:i] + "зовут"[i + 1] + "зовут"[i] + "зовут"[i + 2 :] for i in range(4)}
    | {"зовут"}
)
# Words after which a word that may be a name is one.
_CUES = _INTRODUCERS | frozenset(
    {
        "я", "это", "ето", "мастер", "мастера", "мастеру", "мастером", "мастерице",
        "администратор", "администратору", "клиентка", "клиент", "клиента",
        "для", "подруга", "подружка", "дочь", "дочка", "сын", "муж", "жена",
        "мама", "сестра", "брат", "уважением", "спросите", "позовите", "врач",
        "врачу", "доктор", "доктору", "тренер", "тренеру", "стоматолог",
        "гражданин", "гражданка", "пациент", "пациентка", "пациента", "пациентки",
    }
)  # fmt: skip
# Words the dictionary reads as names first that chats use otherwise.
_NOT_NAMES = frozenset(
    {
        "мая", "май", "марта", "августа", "ян", "ли", "том", "дон", "лак",
        "гель", "шеллак", "мир", "бор", "лета", "ия", "ада",
    }
)  # fmt: skip
# Words after which a surname names a place: "ул. Ленина", "метро Гагарина".
_PLACE_MARKERS = frozenset(
    {
        "ул", "улица", "улице", "улицу", "улицы", "проспект", "проспекте", "пр",
        "пр-т", "пр-кт", "пер", "переулок", "переулке", "бульвар", "бульваре",
        "б-р", "площадь", "площади", "пл", "метро", "м", "им", "имени", "станция",
        "станции", "ст", "тц", "трц", "тк", "шоссе", "наб", "набережная",
        "набережной", "проезд", "мкр", "г", "город", "городе", "село", "деревня",
        "пос", "посёлок", "поселок", "парк", "сквер", "мост", "завод", "вуз",
        "из",  # "я из Одинцова": towns named after families
    }
)  # fmt: skip
# Below this probability a name reading is the dictionary's long tail
# ("из" as a plural of the name Иза), unless it is a singular one ("света").
_MAYBE = 0.05
_PATRONYMIC = re.compile(r"(?:ович|евич|ич|овна|евна|ична|инична)$")
_DIMINUTIVE_SUFFIXES = (
    "енька", "онька", "ечка", "очка", "юшка", "ушка", "юха", "уха", "уля", "юля",
    "уся", "юся", "юша", "уша", "ёша", "чик", "ёк", "ек", "ок", "он", "ик", "ян",
    # the same without their last vowel, before a case ending ("дашуле")
    "еньк", "оньк", "ечк", "очк", "юшк", "ушк", "юх", "ух", "ул", "юл", "ус",
    "юс", "юш", "уш", "ёш",
)  # fmt: skip
_CASE_ENDINGS = ("", "а", "у", "е", "ом", "ой", "ы", "и", "ю", "ей")
_FULL_ENDINGS = ("я", "а", "ей", "")


@attrs.frozen
class _Token:
    start: int
    end: int
    text: str
    info: WordInfo
    capitalised: bool
    initial: bool
    lower: str
    latin: bool = False


class NameRecognizer:
    """Finds people's names; the canonical form is the lemmas, lower case.

    :param use_ner: Run natasha's NER for capitalised unknown words.
    """

    name = "person"
    entity_types = frozenset({"PERSON"})

    def __init__(self, *, use_ner: bool = True) -> None:
        self.use_ner = use_ner

    def load(self) -> None:
        """Load the dictionary and the NER model (about a second, once)."""
        morph()
        if self.use_ner:
            ner_people("Анна")

    def find(self, text: str) -> Sequence[Entity]:
        tokens = _tokens(text)
        flags = [
            _is_name(tokens, index) and not _names_a_place(text, tokens, index)
            for index in range(len(tokens))
        ]

        if self.use_ner and _needs_ner(tokens, flags):
            _add_ner(text, tokens, flags)

        _add_english_introduced(text, tokens, flags)
        _add_pairs(text, tokens, flags)
        _add_addressed(text, tokens, flags)
        _add_neighbours(text, tokens, flags)
        _add_family_names(text, tokens, flags, use_ner=self.use_ner)
        return _entities(text, tokens, flags, self.name)


def _add_pairs(text: str, tokens: list[_Token], flags: list[bool]) -> None:
    """Flag words that are names together: "артём морозов", "попова а.а."."""
    for index in range(len(tokens) - 1):
        if _name_pair(tokens[index], tokens[index + 1], text):
            flags[index] = flags[index + 1] = True
    for index, token in enumerate(tokens):
        # Initials make a possible surname a sure one.
        if token.info.surname >= 0.3 and _INITIALS_AFTER.match(text, token.end):
            flags[index] = True


_GREETING = re.compile(
    r"\s*,\s*(?:здравствуй|добр(?:ый|ое|ого)|привет|спасибо|подскажите|скажите)",
    re.IGNORECASE,
)
_AND = frozenset({"и", "или"})


def _add_addressed(text: str, tokens: list[_Token], flags: list[bool]) -> None:
    """Flag capitalised possible names that a sentence addresses or lists:
    "Надежда, здравствуйте", "Милана или Виктория"."""
    for index, token in enumerate(tokens):
        if flags[index] or not token.capitalised or token.info.person < 0.2:
            continue
        greeted = token.initial and _GREETING.match(text, token.end)
        listed = any(
            0 <= other < len(tokens)
            and flags[other]
            and tokens[(index + other) // 2].lower in _AND
            for other in (index - 2, index + 2)
        )
        if greeted or listed:
            flags[index] = True


def _add_neighbours(text: str, tokens: list[_Token], flags: list[bool]) -> None:
    """Flag possible names that touch a name: "Вера Петровна"."""
    for index, token in enumerate(tokens):
        short_latin = token.latin and len(token.text) < 4  # "is", "den"
        if (
            not flags[index]
            and not short_latin
            and token.info.person >= _MAYBE
            and _next_to_name(flags, index, tokens, text)
        ):
            flags[index] = True


# Endings of Russian surnames in their case forms: Доступов(а/у/ым),
# Кнопочкин(а/ой), Задворенский, Полуночная, Шевченко, Перепелюк(а),
# Бабич, Акопян, Черных. Chats write many a surname no dictionary has, or
# one the dictionary reads as a plural noun ("Номеров", "Сбоев").
_SURNAME_ENDING = re.compile(
    r"(?:"
    r"(?:[оеё]в|[иы]н)(?:а|у|ым|ом|е|ой|ою|ы|ых|ыми)?"
    r"|(?:ск|цк)(?:ий|ой|ого|ому|им|ом|ая|ую|ие|их|ими)"
    r"|(?:[ая]я|[ую]ю|[оиы]й|[ао]го|[оеы]му|[ыи]м)"
    r"|(?:ко|[уюч]к(?:а|у|ом|е)?|ич(?:а|у|ем|е)?|ян(?:а|у|ом|е)?|дзе|швили|[ыи]х)"
    r")$"
)
# Words before a lower-case full name: the cues, and requests that name
# whom they are for ("запишите михаила пирожкова").
_FAMILY_CUES = _CUES | frozenset(
    {
        "запишите", "запиши", "записать", "запишу", "передайте", "передай",
        "позовите", "к", "от",
    }
)  # fmt: skip
# Words after which a name-like word names a place: "Советская улица",
# "Московская область".
_PLACES_AFTER = frozenset(
    {
        "область", "области", "район", "района", "районе", "край", "края",
        "крае", "улица", "улице", "улицу", "улицы", "проспект", "проспекте",
        "шоссе", "бульвар", "бульваре", "переулок", "переулке", "площадь",
        "набережная", "набережной",
    }
)  # fmt: skip


def _add_family_names(
    text: str, tokens: list[_Token], flags: list[bool], *, use_ner: bool
) -> None:
    """Flag the rest of a full name around a given name or patronymic:
    "Семён Доступов", "Доступов Семён", "Darya Obraztsova", "I'm John
    Testerson". The surname need not be in any dictionary; its ending, a
    dictionary's surname reading or natasha's NER says it is one."""
    people: list[tuple[int, int]] | None = None
    changed = True
    while changed:
        changed = False
        for index, token in enumerate(tokens):
            anchor = _anchor_beside(text, tokens, flags, index)
            if flags[index] or anchor is None:
                continue
            if not _shaped_as_name(text, tokens, flags, index, anchor):
                continue
            if token.info.function_word or _names_a_place(text, tokens, index):
                continue
            if _family_name(tokens, index, anchor):
                flags[index] = changed = True
                continue
            if use_ner and token.capitalised:
                people = ner_people(text) if people is None else people
                if _in_one_span(people, token, tokens[anchor]):
                    flags[index] = changed = True


def _anchor_beside(
    text: str, tokens: list[_Token], flags: list[bool], index: int
) -> int | None:
    """The given name or patronymic right beside word *index*, if any."""
    for other in (index - 1, index + 1):
        if not (0 <= other < len(tokens) and flags[other]):
            continue
        left, right = sorted((tokens[index], tokens[other]), key=lambda t: t.start)
        if text[left.end : right.start].strip() != "":
            continue
        info = tokens[other].info
        if info.name >= 0.3 or info.patronymic >= 0.5 or tokens[other].latin:
            return other
    return None


def _shaped_as_name(
    text: str, tokens: list[_Token], flags: list[bool], index: int, anchor: int
) -> bool:
    """Whether word *index* is written as a name: capitalised, in capitals
    like its neighbour, or in lower case right after a cue ("я семён
    доступов", "меня зовут доступов семён")."""
    token, other = tokens[index], tokens[anchor]
    if len(token.text) < 2 or token.lower in _NOT_NAMES:
        return False
    if token.capitalised:
        return True
    if token.text.isupper():
        return other.text.isupper()
    if not token.text.islower():
        return False
    if not token.latin and not token.info.known and _SURNAME_ENDING.search(token.lower):
        return True  # "кнопочкин руслан": no dictionary word looks like that
    start = min(index, anchor)
    while start > 0 and flags[start - 1]:
        start -= 1
    if start == 0:
        return False
    return tokens[start - 1].lower in _FAMILY_CUES or bool(
        _ENGLISH_CUE.search(text, 0, tokens[start].start)
    )


def _names_a_place(text: str, tokens: list[_Token], index: int) -> bool:
    """Whether a place word stands around word *index*: "ул. Ленина",
    "Московская область"."""
    if index > 0 and tokens[index - 1].lower in _PLACE_MARKERS:
        return True
    if index + 1 == len(tokens):
        return False
    following = tokens[index + 1]
    between = text[tokens[index].end : following.start]
    return following.lower in _PLACES_AFTER and between.strip() == ""


def _family_name(tokens: list[_Token], index: int, anchor: int) -> bool:
    """Whether word *index*, beside a name, reads as a surname."""
    token = tokens[index]
    if token.latin:
        # English surnames have no telling ending; a capital beside a Latin
        # given name is the sign ("John Testerson"), short words aside.
        return (
            tokens[anchor].latin
            and token.text.lower() not in _ENGLISH_NOT_NAMES
            and len(token.text) > 2
        )
    return analyse(token.lower).surname >= 0.3 or bool(
        _SURNAME_ENDING.search(token.lower)
    )


def _in_one_span(people: list[tuple[int, int]], token: _Token, anchor: _Token) -> bool:
    """Whether NER put the word and its neighbouring name in one person."""
    start, end = min(token.start, anchor.start), max(token.end, anchor.end)
    return any(a <= start and end <= b for a, b in people)


# English introductions: the next capitalised Latin word is a name.
_ENGLISH_CUE = re.compile(
    r"(?:\bI\s*['’]?\s*m|\bI\s+am|\bmy\s+name\s+is|\bthis\s+is|\bcall\s+me"
    r"|\bname\s*:)\s+$",
    re.IGNORECASE,
)
# Capitalised words English puts after "I am" or beside a name that are no
# name: nationalities, languages, days, months, states of mind.
_ENGLISH_NOT_NAMES = frozenset(
    {
        "russian", "english", "american", "british", "german", "french",
        "ukrainian", "italian", "spanish", "chinese", "kazakh", "belarusian",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
        "sunday", "january", "february", "march", "april", "may", "june",
        "july", "august", "september", "october", "november", "december",
        "here", "not", "sorry", "fine", "ok", "okay", "ready", "back", "late",
        "the", "an", "from", "in", "at", "on", "so", "very", "just", "also",
        "looking", "calling", "writing", "going", "coming", "free", "available",
        "interested", "new", "glad", "happy", "sure", "your", "our", "my",
        "thanks", "thank", "please", "hello", "hi", "and", "or", "but", "with",
    }
)  # fmt: skip


def _add_english_introduced(text: str, tokens: list[_Token], flags: list[bool]) -> None:
    """Flag a capitalised Latin word after "I'm", "I am", "my name is",
    "this is", "call me": natasha and the dictionary know no English names.
    In lower case only a word that reads as a given name counts ("i'm
    olivia"), as "i'm late" or "this is urgent" are no names."""
    for index, token in enumerate(tokens):
        if flags[index] or not token.latin or len(token.text) < 2:
            continue
        written_as_name = token.capitalised or token.text.isupper()
        if not (written_as_name or token.info.name >= 0.5):
            continue
        if token.text.lower() in _ENGLISH_NOT_NAMES:
            continue
        if _ENGLISH_CUE.search(text, 0, token.start):
            flags[index] = True


def _tokens(text: str) -> list[_Token]:
    tokens = []
    previous_end = 0
    for number, match in enumerate(_WORD.finditer(text)):
        word = match.group(0)
        gap = text[previous_end : match.start()]
        lower = word.lower()
        if lower.isascii():
            lower = _latin_reading(lower)
        tokens.append(
            _Token(
                match.start(),
                match.end(),
                word,
                _latin_info(lower) if word.isascii() else _info(lower),
                word[:1].isupper() and not (len(word) > 1 and word.isupper()),
                number == 0 or bool(_SENTENCE_END.search(gap)),
                lower,
                word.isascii(),
            )
        )
        previous_end = match.end()
    return tokens


@functools.lru_cache(maxsize=10_000)
def _latin_reading(word: str) -> str:
    """The Cyrillic reading of a Latin word: the plain one, unless only a
    restored soft sign or э makes it a name ("darya" -> "дарья")."""
    readings = spellings(word)
    for reading in readings:
        info = _info(reading)
        if info.known and info.person >= 0.5:
            return reading
    return readings[0]


def _latin_info(reading: str) -> WordInfo:
    """The dictionary's view of a Latin word's reading. Russian names in
    Latin letters come in the nominative ("Darya", not "Daryu"); a reading
    that is only an oblique form of a first name is an English word ("time"
    read as "тиме", a case of Тим)."""
    info = _info(reading)
    if info.name > 0 and info.lemma != reading.replace("ё", "е"):
        return attrs.evolve(info, name=0.0, lemma_person=info.surname)
    return info


@functools.lru_cache(maxsize=100_000)
def _info(word: str) -> WordInfo:
    """The dictionary's view of *word*, with diminutives it does not know."""
    info = analyse(word.replace("ё", "е") if word.count("ё") > 1 else word)
    if info.known:
        return info
    if "-" in word:
        return _compound(word, info)

    # The dictionary's guesses for unknown words (typos: "ноемр") name too
    # much; only a patronymic's suffix is telling enough to keep.
    patronymic = info.patronymic if _PATRONYMIC.search(word) else 0.0
    info = attrs.evolve(
        info, name=0.0, surname=0.0, patronymic=patronymic, singular=False
    )
    if len(word) < 4:
        return info
    full = _diminutive_of(word)
    if full is not None:
        return attrs.evolve(info, name=full.name, lemma=full.lemma)
    return info


def _compound(word: str, info: WordInfo) -> WordInfo:
    """A hyphenated word the dictionary lacks, judged by its parts:
    "гель-лак" is two known words and no name, "виноградова-ким" a surname."""
    parts = [_info(part) for part in word.split("-") if part]
    known = all(part.known for part in parts)
    best = max(parts, key=lambda part: part.person, default=info)
    return attrs.evolve(best, known=known, lemma="-".join(part.lemma for part in parts))


def _diminutive_of(word: str) -> WordInfo | None:
    """The full name behind a diminutive in any case: "вовчика" -> "вова"."""
    for case_ending in _CASE_ENDINGS:
        base = word[: len(word) - len(case_ending)]
        if not word.endswith(case_ending):
            continue
        for suffix in _DIMINUTIVE_SUFFIXES:
            if not base.endswith(suffix) or len(base) - len(suffix) < 2:
                continue
            stem = base[: -len(suffix)]
            for ending in _FULL_ENDINGS:
                full = analyse(stem + ending)
                if full.known and full.name >= 0.5:
                    return full
    return None


def _is_name(tokens: list[_Token], index: int) -> bool:
    token = tokens[index]
    info = token.info
    if token.lower in _NOT_NAMES or len(token.lower) < 2:
        return _after_introducer(tokens, index)
    if _after_introducer(tokens, index):
        return True
    if (info.person < _MAYBE and not info.singular) or info.function_word:
        return False
    if index > 0 and tokens[index - 1].lower in _PLACE_MARKERS:
        return False

    # A word that is a name three times in four is one; "роза" (two in
    # three) or "вера" need a capital inside a sentence, or a cue. So do
    # short Latin words ("den", "ira"): English is full of them.
    if token.latin and len(token.text) < 4:
        return index > 0 and tokens[index - 1].lower in _CUES
    if info.patronymic >= 0.5 or info.person >= 0.75:
        return True
    if info.person >= 0.3 and info.lemma_person >= 0.75:
        return True
    if token.capitalised and not token.initial:
        return True
    return index > 0 and tokens[index - 1].lower in _CUES


def _after_introducer(tokens: list[_Token], index: int) -> bool:
    """The word right after "зовут", "меня зовут", "my name is"."""
    if index == 0:
        return False
    previous = tokens[index - 1].lower
    if previous in _INTRODUCERS:
        return tokens[index].info.known is False or tokens[index].lower not in _STOP
    # "my name is", transliterated like every Latin word
    return previous == "ис" and index > 1 and tokens[index - 2].lower == "наме"


# Words that follow "зовут" without being a name ("как вас зовут?").
_STOP = frozenset({"как", "вас", "тебя", "его", "её", "ее", "их", "меня", "так", "не"})


def _next_to_name(
    flags: list[bool], index: int, tokens: list[_Token], text: str
) -> bool:
    """Whether a word touches a name with only a space between ("Вера Петровна")."""
    for other in (index - 1, index + 1):
        if 0 <= other < len(tokens) and flags[other]:
            left, right = sorted((tokens[index], tokens[other]), key=lambda t: t.start)
            if text[left.end : right.start].strip() == "":
                return True
    return False


def _name_pair(first: _Token, second: _Token, text: str) -> bool:
    """Two words that may each be a name and together read as one: a first
    name with a surname or patronymic ("артём морозов")."""
    if text[first.end : second.start].strip() != "":
        return False
    if first.lower in _NOT_NAMES or second.lower in _NOT_NAMES:
        return False
    a, b = first.info, second.info
    given = (
        max(a.name, a.lemma_person * (a.name >= _MAYBE)),
        max(b.name, b.lemma_person * (b.name >= _MAYBE)),
    )
    family = _family_score(first), _family_score(second)
    return (given[0] >= 0.3 and family[1] >= 0.3) or (
        family[0] >= 0.3 and given[1] >= 0.3
    )


def _family_score(token: _Token) -> float:
    """How likely a word is a surname or patronymic; a word no dictionary
    has that ends like a surname ("задворенко") counts as an even chance."""
    info = token.info
    score = max(info.surname, info.patronymic)
    if not info.known and not token.latin and _SURNAME_ENDING.search(token.lower):
        score = max(score, 0.5)
    return score


def _needs_ner(tokens: list[_Token], flags: list[bool]) -> bool:
    """Whether a capitalised word is one the dictionary cannot judge."""
    return any(
        token.capitalised
        and len(token.text) > 1
        and not flags[index]
        and not token.info.known
        for index, token in enumerate(tokens)
    )


def _add_ner(text: str, tokens: list[_Token], flags: list[bool]) -> None:
    for start, end in ner_people(text):
        inside_span = [t for t in tokens if start <= t.start and t.end <= end]
        if any(_common_noun(token) for token in inside_span):
            continue  # "Шеллак Делюкс": a product named like a person
        for index, token in enumerate(tokens):
            inside = start <= token.start and token.end <= end
            # Initials join the name later; an unknown capitalised word that
            # opens a sentence is as likely a typo ("Позвоинте") as a name.
            if not inside or len(token.text) < 2 or not token.capitalised:
                continue
            alone = end - start == len(token.text)
            unknown = not token.info.known and not (token.initial and alone)
            if token.info.person >= _MAYBE or unknown:
                flags[index] = True


def _common_noun(token: _Token) -> bool:
    """A word the dictionary knows as no part of a name and no surname shape."""
    return (
        token.info.known
        and token.info.person < _MAYBE
        and not token.info.function_word
        and not _SURNAME_ENDING.search(token.lower)
    )


def _entities(
    text: str, tokens: list[_Token], flags: list[bool], recognizer: str
) -> list[Entity]:
    """Join neighbouring name words into one entity per person."""
    found: list[Entity] = []
    group: list[_Token] = []
    for token, flag in [*zip(tokens, flags, strict=True), (None, False)]:
        joined = (
            flag
            and group
            and token is not None
            and text[group[-1].end : token.start].strip() == ""
        )
        if joined:
            group.append(token)
            continue
        if group:
            found.append(_entity(text, group, recognizer))
        group = [token] if flag and token is not None else []
    return found


def _entity(text: str, group: list[_Token], recognizer: str) -> Entity:
    start, end = group[0].start, group[-1].end
    initials = _INITIALS.match(text, end)
    if initials and initials.group(0).strip():
        end = initials.end()
    before = _INITIALS_BEFORE.search(text, 0, start)
    if before:
        start = before.start()
    return Entity(
        "PERSON",
        start,
        end,
        text[start:end],
        score=0.9,
        normalized=" ".join(token.info.lemma for token in group),
        recognizer=recognizer,
    )
