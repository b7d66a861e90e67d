"""Filing once: a lead or note per idempotency key, even when an answer is lost."""

from __future__ import annotations

import json
import traceback
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx

from leadwire import ClientId, Contact, CrmRef, Lead, LeadFields, TemporaryError
from leadwire_bitrix24 import Bitrix24Crm
from leadwire_bitrix24.journal import marker

KEY = "conv-7:lead"


def a_lead() -> Lead:
    return Lead(
        client_id=ClientId("CLIENT_0123456789ab"),
        channel="telegram",
        contact=Contact(name="Тест Тестович", phone="+79990001133"),
        fields=LeadFields(service="Маникюр"),
    )


def created_on_the_server(
    portal_leads: dict[str, str], new_id: str
) -> Callable[[httpx.Request], httpx.Response]:
    """The portal makes the lead, then the answer is lost on the way back."""

    def create(request: httpx.Request) -> httpx.Response:
        portal_leads[marker(KEY)] = new_id
        raise httpx.ReadTimeout("timed out", request=request)

    return create


async def test_a_lost_answer_is_recovered_by_looking_up_the_marker(
    crm: Bitrix24Crm,
    portal: respx.MockRouter,
    duplicates: Callable[..., Any],
    lead_list: Callable[..., Any],
) -> None:
    """A ReadTimeout after the portal created the lead: found, not created twice."""
    on_portal: dict[str, str] = {}
    portal.post("crm.duplicate.findbycomm.json").mock(side_effect=duplicates({}))
    portal.post("crm.lead.list.json").mock(
        side_effect=lead_list(marked=lambda: on_portal)
    )
    add = portal.post("crm.lead.add.json").mock(
        side_effect=created_on_the_server(on_portal, "3465")
    )

    result = await crm.upsert_lead(a_lead(), idempotency_key=KEY)

    assert (result.ref, result.created) == (CrmRef("lead", "3465"), True)
    assert add.call_count == 1


async def test_a_retry_after_an_unknown_outcome_makes_no_duplicate(
    crm: Bitrix24Crm,
    make_crm: Callable[..., Bitrix24Crm],
    portal: respx.MockRouter,
    duplicates: Callable[..., Any],
    lead_list: Callable[..., Any],
) -> None:
    """Still unknown after the timeout: TemporaryError; the engine's retry finds it."""
    on_portal: dict[str, str] = {}
    seen: list[int] = []

    def visible_later() -> dict[str, str]:
        # The portal is still busy with the first create when we first look.
        seen.append(1)
        return on_portal if len(seen) > 2 else {}

    portal.post("crm.duplicate.findbycomm.json").mock(side_effect=duplicates({}))
    portal.post("crm.lead.list.json").mock(side_effect=lead_list(marked=visible_later))
    add = portal.post("crm.lead.add.json").mock(
        side_effect=created_on_the_server(on_portal, "3465")
    )

    with pytest.raises(TemporaryError) as caught:
        await crm.upsert_lead(a_lead(), idempotency_key=KEY)
    assert caught.value.retry_after is not None

    restarted = make_crm()  # the engine retries later, maybe after a restart
    result = await restarted.upsert_lead(a_lead(), idempotency_key=KEY)

    assert (result.ref, result.created) == (CrmRef("lead", "3465"), True)
    assert add.call_count == 1


async def test_the_timeout_message_hides_the_webhook(
    webhook_code: str,
    crm: Bitrix24Crm,
    portal: respx.MockRouter,
    duplicates: Callable[..., Any],
    lead_list: Callable[..., Any],
) -> None:
    """Neither the error, its repr nor its printed traceback show the webhook code."""
    portal.post("crm.duplicate.findbycomm.json").mock(side_effect=duplicates({}))
    portal.post("crm.lead.list.json").mock(side_effect=lead_list())
    portal.post("crm.lead.add.json").mock(side_effect=httpx.ConnectError("reset"))

    with pytest.raises(TemporaryError) as caught:
        await crm.upsert_lead(a_lead(), idempotency_key=KEY)

    printed = "".join(traceback.format_exception(caught.value))
    assert webhook_code not in printed
    assert webhook_code not in repr(caught.value)
    assert "example-salon.bitrix24.ru" in str(caught.value)


async def test_a_key_already_done_sends_nothing(
    crm: Bitrix24Crm,
    portal: respx.MockRouter,
    duplicates: Callable[..., Any],
    lead_list: Callable[..., Any],
) -> None:
    """The second call with a done key answers from the journal, no request."""
    portal.post("crm.duplicate.findbycomm.json").mock(side_effect=duplicates({}))
    portal.post("crm.lead.list.json").mock(side_effect=lead_list())
    portal.post("crm.lead.add.json").respond(json={"result": 3465})
    first = await crm.upsert_lead(a_lead(), idempotency_key=KEY)
    requests = len(portal.calls)

    again = await crm.upsert_lead(a_lead(), idempotency_key=KEY)

    assert again == first
    assert len(portal.calls) == requests


async def test_the_journal_survives_a_restart_and_holds_no_personal_data(
    crm: Bitrix24Crm,
    make_crm: Callable[..., Bitrix24Crm],
    portal: respx.MockRouter,
    duplicates: Callable[..., Any],
    lead_list: Callable[..., Any],
    tmp_path: Any,
) -> None:
    """A new connector reads the key's outcome from the file, which has no phone."""
    portal.post("crm.duplicate.findbycomm.json").mock(side_effect=duplicates({}))
    portal.post("crm.lead.list.json").mock(side_effect=lead_list())
    portal.post("crm.lead.add.json").respond(json={"result": 3465})
    await crm.upsert_lead(a_lead(), idempotency_key=KEY)
    requests = len(portal.calls)

    result = await make_crm().upsert_lead(a_lead(), idempotency_key=KEY)

    assert result.ref == CrmRef("lead", "3465")
    assert len(portal.calls) == requests
    (journal,) = tmp_path.glob("bitrix24-*.json")
    text = journal.read_text("utf-8")
    assert "9990001133" not in text
    assert KEY not in text


async def test_a_note_is_added_once_per_key(
    crm: Bitrix24Crm,
    portal: respx.MockRouter,
    sent: Callable[[Any], dict[str, Any]],
) -> None:
    """add_note twice with one key adds one timeline comment, marked with the key."""
    add = portal.post("crm.timeline.comment.add.json").respond(json={"result": 91})

    await crm.add_note(
        CrmRef("lead", "12"), "Клиент перенёс визит", idempotency_key="n1"
    )
    await crm.add_note(
        CrmRef("lead", "12"), "Клиент перенёс визит", idempotency_key="n1"
    )

    assert add.call_count == 1
    assert sent(add.calls.last) == {
        "fields": {
            "ENTITY_ID": 12,
            "ENTITY_TYPE": "lead",
            "COMMENT": f"Клиент перенёс визит\n\n[{marker('n1')}]",
        }
    }


async def test_a_note_whose_answer_was_lost_is_not_repeated(
    crm: Bitrix24Crm,
    portal: respx.MockRouter,
    sent: Callable[[Any], dict[str, Any]],
) -> None:
    """A timed-out comment found on the timeline counts as added; no second add."""
    timeline: list[dict[str, Any]] = [{"ID": "5", "COMMENT": "старая запись"}]

    def add_then_time_out(request: httpx.Request) -> httpx.Response:
        comment = json.loads(request.content)["fields"]["COMMENT"]
        timeline.append({"ID": "92", "COMMENT": comment})
        raise httpx.ReadTimeout("timed out", request=request)

    add = portal.post("crm.timeline.comment.add.json").mock(
        side_effect=add_then_time_out
    )
    listing = portal.post("crm.timeline.comment.list.json").mock(
        side_effect=lambda request: httpx.Response(200, json={"result": timeline})
    )

    await crm.add_note(CrmRef("lead", "12"), "Перезвонить", idempotency_key="n2")
    await crm.add_note(CrmRef("lead", "12"), "Перезвонить", idempotency_key="n2")

    assert add.call_count == 1
    assert sent(listing.calls.last)["filter"] == {
        "ENTITY_ID": 12,
        "ENTITY_TYPE": "lead",
    }


async def test_a_note_still_missing_after_a_lost_answer_is_sent_again(
    crm: Bitrix24Crm, portal: respx.MockRouter
) -> None:
    """Not on the timeline after a timeout: TemporaryError, then the retry adds it."""
    add = portal.post("crm.timeline.comment.add.json").mock(
        side_effect=[
            httpx.ReadTimeout("timed out"),
            httpx.Response(200, json={"result": 93}),
        ]
    )
    portal.post("crm.timeline.comment.list.json").respond(json={"result": []})

    with pytest.raises(TemporaryError):
        await crm.add_note(CrmRef("lead", "12"), "Перезвонить", idempotency_key="n3")
    await crm.add_note(CrmRef("lead", "12"), "Перезвонить", idempotency_key="n3")

    assert add.call_count == 2
