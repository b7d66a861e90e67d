"""Placeholders: the round trip, stability, refusal of unknown ones, the vault."""

from __future__ import annotations

import json

import pytest
from cryptography.fernet import Fernet

from leadwire import LeadwireError
from leadwire.pii import (
    PlaceholderMap,
    UnknownPlaceholderError,
    Vault,
    VaultError,
)

MESSAGE = (
    "Здравствуйте! Меня зовут Кузнецова Дарья, тел +7 (912) 000-12-34, "
    "почта d.demo@example.ru, живу на ул. Садовая, д. 5, кв. 12"
)


def test_round_trip_is_exact(pseudonymizer, mapping):
    """Restoring the pseudonymised text gives back the original exactly."""
    result = pseudonymizer.pseudonymize(MESSAGE, mapping)

    assert "912" not in result.text
    assert "Дарья" not in result.text
    assert pseudonymizer.restore(result.text, mapping) == MESSAGE


def test_placeholders_are_typed_and_numbered(pseudonymizer, mapping):
    """Each entity becomes [TYPE_N], numbered per type."""
    result = pseudonymizer.pseudonymize(MESSAGE, mapping)

    assert result.text == (
        "Здравствуйте! Меня зовут [PERSON_1], тел [PHONE_1], "
        "почта [EMAIL_1], живу на [ADDRESS_1]"
    )
    assert result.placeholders == (
        "[PERSON_1]",
        "[PHONE_1]",
        "[EMAIL_1]",
        "[ADDRESS_1]",
    )


def test_same_phone_written_two_ways_is_one_placeholder(pseudonymizer, mapping):
    """Placeholders are keyed by the canonical value, across messages."""
    first = pseudonymizer.pseudonymize("мой +7 912 000-12-34", mapping)
    second = pseudonymizer.pseudonymize("перезвоните на 89120001234", mapping)

    assert first.text == "мой [PHONE_1]"
    assert second.text == "перезвоните на [PHONE_1]"
    assert mapping.values_of("PHONE") == ["+79120001234"]


def test_a_second_phone_gets_the_next_number(pseudonymizer, mapping):
    """A different value of the same type is a new placeholder."""
    pseudonymizer.pseudonymize("мой 8 912 000 12 34", mapping)

    result = pseudonymizer.pseudonymize("или мужа 8 913 000 56 78", mapping)

    assert result.text == "или мужа [PHONE_2]"
    assert mapping.placeholders_of("PHONE") == ["[PHONE_1]", "[PHONE_2]"]


def test_name_in_another_case_is_the_same_person(pseudonymizer, mapping):
    """ "Ольга" and "Ольгу" are the same placeholder; restoring shows the first form."""
    pseudonymizer.pseudonymize("меня зовут Ольга", mapping)
    result = pseudonymizer.pseudonymize("запишите Ольгу", mapping)

    assert result.text == "запишите [PERSON_1]"
    assert pseudonymizer.restore("Ждём вас, [PERSON_1]!", mapping) == "Ждём вас, Ольга!"


def test_result_exposes_values_for_the_lead(pseudonymizer, mapping):
    """The canonical phone, e-mail and name are there for the lead."""
    result = pseudonymizer.pseudonymize(MESSAGE, mapping)

    assert result.values_of("PHONE") == ["+79120001234"]
    assert result.values_of("EMAIL") == ["d.demo@example.ru"]
    assert result.values_of("PERSON") == ["кузнецов дарья"]
    assert result.written_of("PERSON") == ["Кузнецова Дарья"]


def test_reply_restores_values_the_llm_repeated(pseudonymizer, mapping):
    """Placeholders in an LLM reply become the client's values."""
    pseudonymizer.pseudonymize("я Дарья, мой 8 912 000 12 34", mapping)

    reply = pseudonymizer.restore("[PERSON_1], перезвоним на [PHONE_1].", mapping)

    assert reply == "Дарья, перезвоним на 8 912 000 12 34."


@pytest.mark.parametrize(
    "reply",
    [
        "Перезвоним на [PHONE_7]",
        "Перезвоним на [PHONE 1]",
        "Перезвоним на PHONE_1]",
        "Перезвоним на [PHONE_1",
        "Перезвоним на [phone_1]",
        "Перезвоним на PHONE_1",
        "Перезвоним на [PHONE-1]",
        "Перезвоним на [SNILS_1]",
        "Перезвоним на [ PHONE_1 ]",
        "Перезвоним на [PHONE_01]",
        "Перезвоним на (PHONE_1)",
        "Перезвоним на [PHONE]",
    ],
)
def test_unknown_or_mangled_placeholders_are_refused(pseudonymizer, mapping, reply):
    """A reply with an invented or mangled placeholder raises instead of leaking."""
    pseudonymizer.pseudonymize("мой 8 912 000 12 34", mapping)

    with pytest.raises(UnknownPlaceholderError) as caught:
        pseudonymizer.restore(reply, mapping)

    assert isinstance(caught.value, LeadwireError)
    assert "912" not in str(caught.value)


def test_another_clients_placeholder_never_resolves(pseudonymizer):
    """A placeholder of client A restored with client B's map raises."""
    client_a, client_b = PlaceholderMap(), PlaceholderMap()
    pseudonymizer.pseudonymize("мой 8 912 000 12 34", client_a)
    pseudonymizer.pseudonymize("пишите b.demo@example.ru", client_b)

    with pytest.raises(UnknownPlaceholderError):
        pseudonymizer.restore("звоним на [PHONE_1]", client_b)


def test_ordinary_words_are_not_taken_for_placeholders(pseudonymizer, mapping):
    """Brackets, "iPhone 15" and upper-case words pass through restore."""
    text = (
        "Возьмите iPhone 15 [фото] и PERSONAL-карту (скидка 5%), "
        "оставьте контакт (email или телефон)"
    )

    assert pseudonymizer.restore(text, mapping) == text


def test_vault_round_trip_and_separation(pseudonymizer, mapping):
    """A sealed map opens to an equal map and holds no value in clear."""
    pseudonymizer.pseudonymize(MESSAGE, mapping)
    vault = Vault(Fernet.generate_key())

    blob = vault.seal(mapping)

    assert b"912" not in blob
    assert "Дарья".encode() not in blob
    assert vault.open(blob) == mapping
    assert pseudonymizer.restore("[PHONE_1]", vault.open(blob)) == "+7 (912) 000-12-34"


def test_vault_accepts_a_key_as_text(mapping):
    """The key may come from the environment as a string."""
    mapping.placeholder_for("PHONE", "+79120001234", "8 912 000 12 34")
    vault = Vault(Fernet.generate_key().decode())

    assert vault.open(vault.seal(mapping)) == mapping


def test_vault_with_another_key_refuses(mapping):
    """A blob sealed with one key does not open with another."""
    blob = Vault(Fernet.generate_key()).seal(mapping)

    with pytest.raises(VaultError, match="another vault key"):
        Vault(Fernet.generate_key()).open(blob)


def test_tampered_blob_refuses(mapping):
    """A changed byte in the blob is detected."""
    vault = Vault(Fernet.generate_key())
    blob = bytearray(vault.seal(mapping))
    blob[20] ^= 1

    with pytest.raises(VaultError):
        vault.open(bytes(blob))


@pytest.mark.parametrize(
    "document",
    [
        {"format": 2, "placeholders": []},
        {"format": 1, "placeholders": [{"token": "PHONE_1", "type": "PHONE"}]},
        {
            "format": 1,
            "placeholders": [
                {"token": "[PHONE_1]", "type": "PHONE", "value": "a", "surface": "a"},
                {"token": "[PHONE_1]", "type": "PHONE", "value": "b", "surface": "b"},
            ],
        },
    ],
)
def test_well_sealed_but_malformed_map_refuses(document):
    """A blob that decrypts to an unknown format or broken records is refused."""
    key = Fernet.generate_key()
    blob = Fernet(key).encrypt(json.dumps(document).encode())

    with pytest.raises(VaultError, match="malformed"):
        Vault(key).open(blob)


def test_bad_key_is_a_clear_error():
    """A key that is not a Fernet key says how to make one."""
    with pytest.raises(VaultError, match=r"Fernet\.generate_key"):
        Vault("not-a-key")


def test_map_never_shows_values_in_its_repr(pseudonymizer, mapping):
    """Printing a map, in a log or a traceback, shows no value."""
    pseudonymizer.pseudonymize(MESSAGE, mapping)

    assert repr(mapping) == "<PlaceholderMap of 4 placeholder(s)>"
