"""Finding and redacting a persona's values wherever they turn up."""

from __future__ import annotations

from leadwire_harness.dialogue import Persona
from leadwire_harness.privacy import Tracer

PERSONA = Persona(
    name="Ксения Тестоева",
    phone="+7 921 555-01-23",
    email="ksenia.testoeva@example.org",
    secrets={"passport": "4510 654321"},
)


def test_names_are_found_in_other_cases_and_letter_case():
    """An inflected or lower-case name still counts as the persona's name."""
    tracer = Tracer(PERSONA)

    assert tracer.find("запишите ксению на четверг", "text")
    assert tracer.find("Для Тестоевой всё готово", "text")
    assert not tracer.find("Запишите [PERSON_1] на четверг", "text")


def test_phones_are_found_whatever_the_separators():
    """A phone written with 8, brackets, dots or no spaces is the same phone."""
    tracer = Tracer(PERSONA)

    for written in ("8 (921) 555-01-23", "+79215550123", "921.555.01.23"):
        leaks = tracer.find(f"мой номер {written}, звоните", "text")
        assert [leak.label for leak in leaks] == ["persona.phone"], written
    assert not tracer.find("заказ 19215550123456", "text")


def test_leaks_name_the_label_and_never_the_value():
    """A reported leak carries the label and redacted context only."""
    leaks = Tracer(PERSONA).find("паспорт 4510 654321, это Ксения", "log")
    leak = next(leak for leak in leaks if leak.label == "persona.passport")

    assert {leak.label for leak in leaks} == {"persona.name", "persona.passport"}
    assert "654321" not in str(leak)
    assert "Ксения" not in str(leak)
    assert "‹persona.passport›" in leak.context


def test_redact_replaces_every_value():
    """Redacting leaves no persona value and keeps the rest of the text."""
    text = "Ксения Тестоева, +7 921 555 01 23, ksenia.testoeva@example.org, четверг"

    redacted = Tracer(PERSONA).redact(text)

    assert "четверг" in redacted
    assert not Tracer(PERSONA).find(redacted, "redacted")
