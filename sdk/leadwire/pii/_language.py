"""The language models behind name detection, loaded lazily and once.

pymorphy3 tags Russian words as first names (``Name``), surnames (``Surn``)
and patronymics (``Patr``) in any case, lower case included; natasha's NER
finds capitalised names that no dictionary knows. Loading takes under a
second (natasha's model ships inside the package: no download); both are
shared by every detector of the process.
"""

from __future__ import annotations

import functools
import threading
from typing import Any

import attrs

__all__ = ["WordInfo", "analyse", "morph", "ner_people"]

_lock = threading.Lock()


@functools.cache
def morph() -> Any:
    """The shared pymorphy3 analyser."""
    with _lock:
        import pymorphy3

        return pymorphy3.MorphAnalyzer()


@functools.cache
def _ner() -> tuple[Any, Any]:
    with _lock:
        from natasha import NewsEmbedding, NewsNERTagger, Segmenter

        return Segmenter(), NewsNERTagger(NewsEmbedding())


def ner_people(text: str) -> list[tuple[int, int]]:
    """The spans natasha's NER tags as people (PER)."""
    from natasha import Doc

    segmenter, tagger = _ner()
    doc = Doc(text)
    doc.segment(segmenter)
    doc.tag_ner(tagger)
    return [(span.start, span.stop) for span in doc.spans if span.type == "PER"]


@attrs.frozen
class WordInfo:
    """What the dictionary says about one lower-case word.

    :param name: Probability that it is a first name.
    :param surname: ... a surname.
    :param patronymic: ... a patronymic.
    :param known: Whether the dictionary has the word (not a guess).
    :param lemma: The nominative form of its most likely name reading.
    :param lemma_person: How likely that nominative form is a name: an
        inflected form ("машу", also "I wave") inherits the lemma's certainty.
    :param singular: Whether some name reading is singular: "света" may be
        one person, "из" (a plural of Иза) is no one.
    :param function_word: Whether its likeliest reading is a preposition,
        conjunction, particle, pronoun or interjection ("по", "ли").
    """

    name: float
    surname: float
    patronymic: float
    known: bool
    lemma: str
    lemma_person: float = 0.0
    singular: bool = False
    function_word: bool = False

    @property
    def person(self) -> float:
        """Probability that the word is part of a person's name."""
        return self.name + self.surname + self.patronymic


@functools.lru_cache(maxsize=100_000)
def analyse(word: str) -> WordInfo:
    """Look *word* (lower case, Cyrillic) up in the dictionary."""
    analyser = morph()
    parses = analyser.parse(word)
    scores = _scores(parses)
    lemmas: dict[str, float] = {}
    singular = False
    for parse in parses:
        if _NAME_TAGS & parse.tag.grammemes:
            singular = singular or "sing" in parse.tag.grammemes
            # Indeclinable readings ("Анне" as a French name) lose to
            # declined ones ("Анне" as Анна), which chats mean far more.
            weight = parse.score * (0.1 if "Fixd" in parse.tag else 1.0)
            lemmas[parse.normal_form] = lemmas.get(parse.normal_form, 0) + weight
    lemma = max(lemmas, key=lemmas.__getitem__) if lemmas else word

    person = sum(scores.values())
    lemma_person = person
    if lemma != word:
        lemma_person = sum(_scores(analyser.parse(lemma)).values())
    return WordInfo(
        scores["Name"],
        scores["Surn"],
        scores["Patr"],
        analyser.word_is_known(word),
        lemma.replace("ё", "е"),
        lemma_person,
        singular,
        bool(parses) and parses[0].tag.POS in _FUNCTION_POS,
    )


_NAME_TAGS = frozenset({"Name", "Surn", "Patr"})
_FUNCTION_POS = frozenset({"PREP", "CONJ", "PRCL", "NPRO", "INTJ"})


def _scores(parses: list[Any]) -> dict[str, float]:
    """The probability of each name tag over a word's readings."""
    scores = dict.fromkeys(("Name", "Surn", "Patr"), 0.0)
    for parse in parses:
        for tag in _NAME_TAGS & parse.tag.grammemes:
            scores[tag] += parse.score
    return scores
