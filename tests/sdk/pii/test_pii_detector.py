"""The detector: overlaps, fail-closed behaviour, configuration."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import pytest
from pii_samples import found

from leadwire import ConfigError, DetectionError, Entity
from leadwire.config import PatternRule, PiiSettings
from leadwire.pii import Detector
from leadwire.pii.builtins import built_in_recognizers
from leadwire.pii.emails import EmailRecognizer
from leadwire.pii.phones import PhoneRecognizer


class Fixed:
    """A recognizer that returns the given spans."""

    entity_types = frozenset({"X", "Y"})

    def __init__(self, name: str, *spans: tuple[str, int, int, float]) -> None:
        self.name = name
        self.spans = spans

    def find(self, text: str) -> Sequence[Entity]:
        return [
            Entity(kind, start, end, text[start:end], score=score)
            for kind, start, end, score in self.spans
        ]


class Broken:
    name = "broken"
    entity_types = frozenset({"X"})

    def find(self, text: str) -> Sequence[Entity]:
        raise RuntimeError(f"cannot handle {text}")


def test_longer_span_wins_over_one_inside_it():
    """A span inside a longer one is dropped, whatever its score."""
    detector = Detector([Fixed("a", ("X", 0, 10, 0.5), ("Y", 2, 5, 1.0))])

    assert [(e.type, e.start, e.end) for e in detector.detect("0123456789")] == [
        ("X", 0, 10)
    ]


def test_partly_overlapping_spans_are_merged_not_cut():
    """Two spans that partly overlap become one covering both: nothing leaks."""
    detector = Detector([Fixed("a", ("X", 0, 6, 1.0), ("Y", 4, 9, 1.0))])

    [entity] = detector.detect("0123456789")

    assert (entity.start, entity.end, entity.value) == (0, 9, "012345678")


def test_adjacent_spans_both_stay():
    """Spans that touch without overlapping are both kept, sorted by start."""
    detector = Detector([Fixed("a", ("Y", 5, 9, 1.0), ("X", 0, 5, 1.0))])

    assert [(e.start, e.end) for e in detector.detect("0123456789")] == [
        (0, 5),
        (5, 9),
    ]


def test_name_inside_an_address_is_the_address(detector):
    """The street's namesake is not a person of its own."""
    assert found(detector, "живу на ул. Пушкина, д. 10, кв. 5") == [
        ("ADDRESS", "ул. Пушкина, д. 10, кв. 5")
    ]


def test_name_and_phone_glued_together_are_both_found(detector):
    """Entities with no space between them are both replaced."""
    assert found(detector, "Ольга89120001234") == [
        ("PERSON", "Ольга"),
        ("PHONE", "89120001234"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Заказ №45821937 готов, к оплате 2 500 руб.",
        "запись на 12.03.2026 в 14:30, шеллак + дизайн",
        "id 550e8400-e29b-41d4-a716-446655440000",
        "Сколько стоит Шеллак? Я в Казани до 18:00",
        "надежда есть, роза в подарок",
    ],
)
def test_no_false_hits_on_confusers(detector, text):
    """Prices, times, order ids, UUIDs, cities and name-like words are kept."""
    assert found(detector, text) == []


def test_recognizer_failure_fails_closed():
    """A recognizer that raises makes detection raise, without the text."""
    detector = Detector([EmailRecognizer(), Broken()])

    with pytest.raises(DetectionError, match="broken") as caught:
        detector.detect("пишите demo@example.ru")

    assert "demo@example.ru" not in str(caught.value)
    assert caught.value.__cause__ is None


def test_over_long_text_fails_closed():
    """A text over the length limit is refused."""
    detector = Detector([EmailRecognizer()], max_length=100)

    with pytest.raises(DetectionError, match="over the limit of 100"):
        detector.detect("а" * 101)


def test_text_that_is_not_a_string_fails_closed():
    """Bytes or None are refused, not skipped."""
    with pytest.raises(DetectionError, match="expected text"):
        Detector([EmailRecognizer()]).detect(b"demo@example.ru")  # type: ignore[arg-type]


def test_text_that_is_not_valid_unicode_fails_closed():
    """A text with a lone surrogate, which no model can read, is refused."""
    with pytest.raises(DetectionError, match="not valid Unicode"):
        Detector([EmailRecognizer()]).detect("тел \ud800 demo@example.ru")


def test_span_not_matching_the_text_fails_closed():
    """A recognizer returning a span outside the text makes detection fail."""
    detector = Detector([Fixed("liar", ("X", 5, 50, 1.0))])

    with pytest.raises(DetectionError, match="liar"):
        detector.detect("short")


def test_time_budget_exceeded_fails_closed(monkeypatch):
    """Detection that takes longer than its budget raises instead of answering."""
    ticks = itertools.count(step=5.0)  # every reading of the clock is 5 s later
    monkeypatch.setattr("leadwire.pii.detector.time.perf_counter", lambda: next(ticks))
    detector = Detector([EmailRecognizer()], time_budget=2.0)

    with pytest.raises(DetectionError, match=r"took over 2\.0 s"):
        detector.detect("пишите demo@example.ru")


def test_allow_list_lets_the_salons_own_values_through():
    """Allowed values (any case, punctuation, spacing) are not replaced."""
    settings = PiiSettings(allow=("+7 495 000-00-01", "Салон@Example.ru"))
    detector = Detector.build([PhoneRecognizer(), EmailRecognizer()], settings)

    entities = detector.detect(
        "наш 8 (495) 000-00-01, почта салон@example.ru, ваш 8 912 000 12 34"
    )

    assert [e.normalized for e in entities] == ["+79120001234"]


def test_allow_list_of_a_staff_name_in_any_case(detector):
    """A staff name on the allow list stays in every grammatical case."""
    staff = Detector.build(built_in_recognizers(), PiiSettings(allow=("анна",)))

    assert found(staff, "запишите к Анне, меня зовут Ольга") == [("PERSON", "Ольга")]
    assert ("PERSON", "Анне") in found(detector, "запишите к Анне")


def test_disabled_recognizer_is_off():
    """A recognizer named in pii.disabled does not run."""
    settings = PiiSettings(disabled=("email",))
    detector = Detector.build([PhoneRecognizer(), EmailRecognizer()], settings)

    assert detector.detect("demo@example.ru") == []
    assert [r.name for r in detector.recognizers] == ["phone"]


def test_unknown_disabled_name_is_a_config_error():
    """A typo in pii.disabled is reported, not silently ignored."""
    with pytest.raises(ConfigError, match=r"pii\.disabled\.0.*'emial'"):
        Detector.build([EmailRecognizer()], PiiSettings(disabled=("emial",)))


def test_custom_pattern_with_context_group():
    """A configured pattern finds its type; a `value` group narrows the span."""
    rule = PatternRule("contract", "CONTRACT", r"договор\w*\s*№\s*(?P<value>\d{3,})")
    detector = Detector.build([], PiiSettings(patterns=(rule,)))

    [entity] = detector.detect("по договору № 12345 оплачу")

    assert (entity.type, entity.value, entity.recognizer) == (
        "CONTRACT",
        "12345",
        "contract",
    )


@pytest.mark.parametrize(
    ("rule", "problem"),
    [
        (PatternRule("bad", "CONTRACT", "(unclosed"), "not valid"),
        (PatternRule("empty", "CONTRACT", "x*"), "empty string"),
        (PatternRule("lower", "contract", r"\d+"), "upper-case"),
    ],
)
def test_bad_custom_pattern_is_a_config_error(rule, problem):
    """Invalid regexes, patterns matching nothing and bad types are reported."""
    with pytest.raises(ConfigError, match=problem):
        Detector.build([], PiiSettings(patterns=(rule,)))
