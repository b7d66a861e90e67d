"""Leads: found before created, mapped to the portal's fields, updated when open."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import respx

from leadwire import ClientId, Contact, CrmRef, Lead, LeadFields
from leadwire_bitrix24 import Bitrix24Crm
from leadwire_bitrix24.journal import marker

PHONE_AS_TYPED = "8 (999) 000-11-22"
PHONE = "+79990001122"
EMAIL = "test.client@example.invalid"


def a_lead(**contact: Any) -> Lead:
    details = {
        "name": "Тестовая Клиентка",
        "phone": PHONE_AS_TYPED,
        "email": "Test.Client@Example.invalid",
        **contact,
    }
    return Lead(
        client_id=ClientId("CLIENT_0123456789ab"),
        channel="whatsapp",
        contact=Contact(**details),
        fields=LeadFields(
            service="Стрижка", desired_time="завтра в 15:00", comment="без очереди"
        ),
    )


def open_lead(record_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "ID": record_id,
        "STATUS_ID": "IN_PROCESS",
        "STATUS_SEMANTIC_ID": "P",
        "DATE_CREATE": "2026-12-01T12:00:00+03:00",
        "NAME": "Тестовая Клиентка",
        "PHONE": [
            {"ID": "501", "VALUE_TYPE": "MOBILE", "VALUE": PHONE, "TYPE_ID": "PHONE"}
        ],
        **fields,
    }


async def test_a_new_client_gets_a_new_lead(
    crm: Bitrix24Crm,
    portal: respx.MockRouter,
    duplicates: Callable[..., Any],
    lead_list: Callable[..., Any],
    sent: Callable[[Any], dict[str, Any]],
) -> None:
    """Nothing found by phone or e-mail: crm.lead.add with the mapped fields."""
    find = portal.post("crm.duplicate.findbycomm.json").mock(side_effect=duplicates({}))
    portal.post("crm.lead.list.json").mock(side_effect=lead_list())
    add = portal.post("crm.lead.add.json").respond(json={"result": 3465, "time": {}})

    result = await crm.upsert_lead(a_lead(), idempotency_key="conv-1:lead")

    assert (result.ref, result.created) == (CrmRef("lead", "3465"), True)
    asked = [
        (sent(c)["type"], sent(c)["values"], sent(c)["entity_type"]) for c in find.calls
    ]
    assert sorted(asked) == [
        ("EMAIL", [EMAIL], "CONTACT"),
        ("EMAIL", [EMAIL], "LEAD"),
        ("PHONE", [PHONE], "CONTACT"),
        ("PHONE", [PHONE], "LEAD"),
    ]
    assert sent(add.calls.last) == {
        "fields": {
            "TITLE": "Стрижка — заявка из whatsapp",
            "SOURCE_ID": "OTHER",
            "COMMENTS": "Услуга: Стрижка\nЖелаемое время: завтра в 15:00\n"
            "Комментарий: без очереди",
            "NAME": "Тестовая Клиентка",
            "PHONE": [{"VALUE": PHONE, "VALUE_TYPE": "MOBILE"}],
            "EMAIL": [{"VALUE": EMAIL, "VALUE_TYPE": "WORK"}],
            "ORIGIN_ID": marker("conv-1:lead"),
            "ORIGINATOR_ID": "leadwire",
        },
        "params": {"REGISTER_SONET_EVENT": "Y"},
    }


async def test_cyrillic_goes_out_as_utf8_not_escapes(
    crm: Bitrix24Crm,
    portal: respx.MockRouter,
    duplicates: Callable[..., Any],
    lead_list: Callable[..., Any],
) -> None:
    """The request bytes hold the name in UTF-8, not \\u escapes."""
    portal.post("crm.duplicate.findbycomm.json").mock(side_effect=duplicates({}))
    portal.post("crm.lead.list.json").mock(side_effect=lead_list())
    add = portal.post("crm.lead.add.json").respond(json={"result": 3465})

    await crm.upsert_lead(a_lead(), idempotency_key="conv-1:lead")

    content = add.calls.last.request.content
    assert "Тестовая Клиентка".encode() in content
    assert b"\\u04" not in content
    assert "utf-8" in add.calls.last.request.headers["content-type"]


async def test_a_landline_is_filed_as_work(
    crm: Bitrix24Crm,
    portal: respx.MockRouter,
    duplicates: Callable[..., Any],
    lead_list: Callable[..., Any],
    sent: Callable[[Any], dict[str, Any]],
) -> None:
    """A Moscow fixed-line number is normalised and typed WORK, not MOBILE."""
    portal.post("crm.duplicate.findbycomm.json").mock(side_effect=duplicates({}))
    portal.post("crm.lead.list.json").mock(side_effect=lead_list())
    add = portal.post("crm.lead.add.json").respond(json={"result": 3466})

    await crm.upsert_lead(
        a_lead(phone="8 495 000-11-22", email=None), idempotency_key="k"
    )

    fields = sent(add.calls.last)["fields"]
    assert fields["PHONE"] == [{"VALUE": "+74950001122", "VALUE_TYPE": "WORK"}]
    assert "EMAIL" not in fields


async def test_an_unparseable_phone_is_kept_as_written_and_not_searched(
    crm: Bitrix24Crm,
    portal: respx.MockRouter,
    duplicates: Callable[..., Any],
    lead_list: Callable[..., Any],
    sent: Callable[[Any], dict[str, Any]],
) -> None:
    """A phone that does not parse is filed as typed; only the e-mail is searched."""
    find = portal.post("crm.duplicate.findbycomm.json").mock(side_effect=duplicates({}))
    portal.post("crm.lead.list.json").mock(side_effect=lead_list())
    add = portal.post("crm.lead.add.json").respond(json={"result": 3467})

    await crm.upsert_lead(a_lead(phone="добавочный 12"), idempotency_key="k")

    assert {sent(call)["type"] for call in find.calls} == {"EMAIL"}
    assert sent(add.calls.last)["fields"]["PHONE"] == [
        {"VALUE": "добавочный 12", "VALUE_TYPE": "WORK"}
    ]


async def test_configured_fields_and_source_are_used(
    make_crm: Callable[..., Bitrix24Crm],
    portal: respx.MockRouter,
    duplicates: Callable[..., Any],
    lead_list: Callable[..., Any],
    sent: Callable[[Any], dict[str, Any]],
) -> None:
    """UF_ field names, the channel's SOURCE_ID and a UF idempotency field apply."""
    crm = make_crm(
        service_field="UF_CRM_SERVICE",
        desired_time_field="UF_CRM_WHEN",
        source_ids={"whatsapp": "WHATSAPP"},
        idempotency_field="UF_CRM_LEADWIRE_KEY",
    )
    portal.post("crm.duplicate.findbycomm.json").mock(side_effect=duplicates({}))
    portal.post("crm.lead.list.json").mock(
        side_effect=lead_list(field="UF_CRM_LEADWIRE_KEY")
    )
    add = portal.post("crm.lead.add.json").respond(json={"result": "3468"})

    result = await crm.upsert_lead(a_lead(), idempotency_key="k")

    fields = sent(add.calls.last)["fields"]
    assert fields["UF_CRM_SERVICE"] == "Стрижка"
    assert fields["UF_CRM_WHEN"] == "завтра в 15:00"
    assert fields["COMMENTS"] == "Комментарий: без очереди"
    assert fields["SOURCE_ID"] == "WHATSAPP"
    assert fields["UF_CRM_LEADWIRE_KEY"] == marker("k")
    assert "ORIGIN_ID" not in fields
    assert result.ref == CrmRef("lead", "3468")


async def test_a_returning_client_found_by_a_phone_written_differently(
    crm: Bitrix24Crm,
    portal: respx.MockRouter,
    duplicates: Callable[..., Any],
    lead_list: Callable[..., Any],
    sent: Callable[[Any], dict[str, Any]],
) -> None:
    """ "8 (999) 000-11-22" finds the open lead filed as +79990001122 and updates it."""
    portal.post("crm.duplicate.findbycomm.json").mock(
        side_effect=duplicates({PHONE: {"LEAD": [12]}})
    )
    listing = portal.post("crm.lead.list.json").mock(
        side_effect=lead_list([open_lead("12")])
    )
    update = portal.post("crm.lead.update.json").respond(json={"result": True})
    comment = portal.post("crm.timeline.comment.add.json").respond(json={"result": 77})

    result = await crm.upsert_lead(a_lead(), idempotency_key="conv-2:lead")

    assert (result.ref, result.created) == (CrmRef("lead", "12"), False)
    assert sent(listing.calls.last)["filter"] == {"ID": ["12"]}
    assert sent(update.calls.last) == {
        "id": "12",
        "fields": {"EMAIL": [{"VALUE": EMAIL, "VALUE_TYPE": "WORK"}]},
        "params": {"REGISTER_SONET_EVENT": "Y"},
    }
    note = sent(comment.calls.last)["fields"]
    assert (note["ENTITY_ID"], note["ENTITY_TYPE"]) == (12, "lead")
    assert note["COMMENT"].startswith(
        "Повторное обращение из whatsapp.\nУслуга: Стрижка"
    )


async def test_an_open_lead_with_nothing_new_is_only_commented(
    crm: Bitrix24Crm,
    portal: respx.MockRouter,
    duplicates: Callable[..., Any],
    lead_list: Callable[..., Any],
) -> None:
    """When the lead already has the name, phone and e-mail, no update is sent."""
    email = [
        {"ID": "502", "VALUE_TYPE": "WORK", "VALUE": "TEST.client@example.invalid"}
    ]
    portal.post("crm.duplicate.findbycomm.json").mock(
        side_effect=duplicates({EMAIL: {"LEAD": [12]}})
    )
    portal.post("crm.lead.list.json").mock(
        side_effect=lead_list([open_lead("12", EMAIL=email)])
    )
    comment = portal.post("crm.timeline.comment.add.json").respond(json={"result": 78})

    result = await crm.upsert_lead(a_lead(), idempotency_key="k")

    assert result.ref == CrmRef("lead", "12")
    assert comment.call_count == 1


@pytest.mark.parametrize(
    "record",
    [
        open_lead("12", STATUS_ID="CONVERTED", STATUS_SEMANTIC_ID="S"),
        open_lead("12", STATUS_ID="JUNK", STATUS_SEMANTIC_ID="F"),
        open_lead("12", STATUS_ID="UC_LOST", STATUS_SEMANTIC_ID="F"),
        open_lead("12", DATE_CREATE="2026-10-01T12:00:00+03:00"),
        open_lead("12", DATE_CREATE="2026-10-01T12:00:00"),
    ],
    ids=["converted", "junk", "custom-failed", "older-than-30-days", "naive-date"],
)
async def test_a_closed_or_old_lead_gets_a_new_lead_linked_to_the_contact(
    record: dict[str, Any],
    crm: Bitrix24Crm,
    portal: respx.MockRouter,
    duplicates: Callable[..., Any],
    lead_list: Callable[..., Any],
    sent: Callable[[Any], dict[str, Any]],
) -> None:
    """A final or too old lead is another request: a new lead, with CONTACT_ID."""
    portal.post("crm.duplicate.findbycomm.json").mock(
        side_effect=duplicates({PHONE: {"LEAD": [12], "CONTACT": [40, 9]}})
    )
    portal.post("crm.lead.list.json").mock(side_effect=lead_list([record]))
    add = portal.post("crm.lead.add.json").respond(json={"result": 3470})

    result = await crm.upsert_lead(a_lead(), idempotency_key="k")

    assert (result.ref, result.created) == (CrmRef("lead", "3470"), True)
    assert sent(add.calls.last)["fields"]["CONTACT_ID"] == "9"


async def test_any_age_counts_when_same_request_days_is_zero(
    make_crm: Callable[..., Bitrix24Crm],
    portal: respx.MockRouter,
    duplicates: Callable[..., Any],
    lead_list: Callable[..., Any],
) -> None:
    """same_request_days = 0 updates an open lead however old it is."""
    crm = make_crm(same_request_days=0)
    old = open_lead("12", DATE_CREATE="2024-01-01T12:00:00+03:00")
    portal.post("crm.duplicate.findbycomm.json").mock(
        side_effect=duplicates({PHONE: {"LEAD": [12]}})
    )
    portal.post("crm.lead.list.json").mock(side_effect=lead_list([old]))
    portal.post("crm.lead.update.json").respond(json={"result": True})
    portal.post("crm.timeline.comment.add.json").respond(json={"result": 79})

    result = await crm.upsert_lead(a_lead(), idempotency_key="k")

    assert result.created is False


@pytest.mark.parametrize(
    ("match_by", "found", "expected_created"),
    [
        ("phone", {EMAIL: {"LEAD": [12]}}, True),
        ("email", {EMAIL: {"LEAD": [12]}}, False),
        ("phone_and_email", {PHONE: {"LEAD": [12]}}, True),
        ("phone_and_email", {PHONE: {"LEAD": [12]}, EMAIL: {"LEAD": [12]}}, False),
        ("phone_or_email", {EMAIL: {"LEAD": [12]}}, False),
    ],
)
async def test_match_by_decides_who_is_the_same_client(
    match_by: str,
    found: dict[str, Any],
    expected_created: bool,
    make_crm: Callable[..., Bitrix24Crm],
    loose_portal: respx.MockRouter,
    duplicates: Callable[..., Any],
    lead_list: Callable[..., Any],
) -> None:
    """match_by picks whether the phone, the e-mail, either or both must match."""
    crm = make_crm(match_by=match_by)
    portal = loose_portal
    portal.post("crm.duplicate.findbycomm.json").mock(side_effect=duplicates(found))
    portal.post("crm.lead.list.json").mock(side_effect=lead_list([open_lead("12")]))
    add = portal.post("crm.lead.add.json").respond(json={"result": 3471})
    update = portal.post("crm.lead.update.json").respond(json={"result": True})
    portal.post("crm.timeline.comment.add.json").respond(json={"result": 80})

    result = await crm.upsert_lead(a_lead(), idempotency_key="k")

    assert result.created is expected_created
    assert add.call_count == int(expected_created)
    assert update.call_count == int(not expected_created)


async def test_find_person_lists_leads_and_contacts(
    crm: Bitrix24Crm, portal: respx.MockRouter, duplicates: Callable[..., Any]
) -> None:
    """find_person returns every lead and contact found by phone or e-mail."""
    portal.post("crm.duplicate.findbycomm.json").mock(
        side_effect=duplicates(
            {PHONE: {"LEAD": [12, 3]}, EMAIL: {"LEAD": [12], "CONTACT": [40]}}
        )
    )

    refs = await crm.find_person(Contact(phone=PHONE_AS_TYPED, email=EMAIL))

    assert list(refs) == [
        CrmRef("lead", "3"),
        CrmRef("lead", "12"),
        CrmRef("contact", "40"),
    ]


async def test_further_phones_are_filed_after_the_one_to_call(
    crm: Bitrix24Crm,
    portal: respx.MockRouter,
    duplicates: Callable[..., Any],
    lead_list: Callable[..., Any],
    sent: Callable[[Any], dict[str, Any]],
) -> None:
    """A new lead's PHONE holds the number to call first, then the others, once."""
    portal.post("crm.duplicate.findbycomm.json").mock(side_effect=duplicates({}))
    portal.post("crm.lead.list.json").mock(side_effect=lead_list())
    add = portal.post("crm.lead.add.json").respond(json={"result": 3469})

    contact = {"other_phones": ("8 495 000-11-22", PHONE_AS_TYPED, "+74950001122")}
    await crm.upsert_lead(a_lead(**contact), idempotency_key="k")

    assert sent(add.calls.last)["fields"]["PHONE"] == [
        {"VALUE": PHONE, "VALUE_TYPE": "MOBILE"},
        {"VALUE": "+74950001122", "VALUE_TYPE": "WORK"},
    ]


async def test_an_open_lead_gets_only_the_phones_it_lacks(
    crm: Bitrix24Crm,
    portal: respx.MockRouter,
    duplicates: Callable[..., Any],
    lead_list: Callable[..., Any],
    sent: Callable[[Any], dict[str, Any]],
) -> None:
    """Updating a returning client's lead adds a further phone, not the known one."""
    portal.post("crm.duplicate.findbycomm.json").mock(
        side_effect=duplicates({PHONE: {"LEAD": [12]}})
    )
    portal.post("crm.lead.list.json").mock(side_effect=lead_list([open_lead("12")]))
    update = portal.post("crm.lead.update.json").respond(json={"result": True})
    portal.post("crm.timeline.comment.add.json").respond(json={"result": 79})

    lead = a_lead(email=None, other_phones=("8 495 000-11-22",))
    await crm.upsert_lead(lead, idempotency_key="k")

    assert sent(update.calls.last)["fields"]["PHONE"] == [
        {"VALUE": "+74950001122", "VALUE_TYPE": "WORK"}
    ]
