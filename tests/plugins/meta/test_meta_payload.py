"""Reading Meta's webhook bodies: the envelope strictly, the rest leniently."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from leadwire import EventKind
from leadwire_meta import DeliveryReader, digest, loose, string, unnoticed

READER = DeliveryReader("Instagram", "instagram")


def test_a_delivery_of_the_subscribed_object_loads():
    """A JSON object of the reader's ``object`` comes back as a mapping."""
    document = READER.load(b'{"object": "instagram", "entry": []}')

    assert document == {"object": "instagram", "entry": []}


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        (b"not json", "the Instagram webhook body is not valid JSON"),
        (b"[1, 2]", "the Instagram webhook body is not a JSON object"),
        (b'{"object": "page"}', "not 'instagram'; check which Meta product"),
    ],
)
def test_a_body_that_is_not_our_delivery_is_a_value_error(body, complaint):
    """Bad JSON, a non-object or another product's object raise ValueError."""
    with pytest.raises(ValueError, match=complaint):
        READER.load(body)


def test_errors_name_the_place_and_never_the_value():
    """A malformed part is named by its path, its content is not repeated."""
    secret_value = "+79990001122"

    with pytest.raises(ValueError, match=r"entry\[0\] in the Instagram") as raised:
        READER.object(secret_value, "entry[0]")

    assert secret_value not in str(raised.value)


def test_arrays_are_required_unless_said_optional():
    """A missing required list raises; a missing optional one reads as empty."""
    with pytest.raises(ValueError, match=r"entry\[0\]\.messaging .* not a list"):
        READER.array({}, "messaging", "entry[0]")

    assert READER.array({}, "messaging", "entry[0]", required=False) == []


def test_required_strings_accept_numbers_and_refuse_blanks():
    """An id written as a number reads as text; an empty one is missing."""
    assert READER.required({"id": 17840000000000001}, "id", "entry[0]") == (
        "17840000000000001"
    )
    with pytest.raises(ValueError, match="has no 'id'"):
        READER.required({"id": ""}, "id", "entry[0]")


def test_loose_values_read_as_empty_or_none():
    """Optional parts of the wrong type read as empty, never raise."""
    assert loose(["not", "an", "object"]) == {}
    assert string(True) is None
    assert string(12.5) == "12.5"


def test_digest_is_stable_whatever_the_key_order():
    """The same content gives the same id, however its keys were ordered."""
    assert digest({"a": 1, "b": "я"}) == digest({"b": "я", "a": 1})
    assert digest({"a": 1}) != digest({"a": 2})


def test_unnoticed_parts_are_kept_under_a_stable_id():
    """A part with no client becomes UNSUPPORTED, its id hashed from its content."""
    at = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    notice = {"field": "account_update", "value": {"event": "VERIFIED"}}

    event = unnoticed(notice, "account_update", "200300", "wa-main", at)

    assert event.kind is EventKind.UNSUPPORTED
    assert (event.conversation, event.payload) == ("200300", "account_update")
    assert event.event_id == f"200300:account_update:{digest(notice)}"
    assert event.occurred_at == at
