"""Access requests and erasure: what the portal holds, deleted or blanked."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import respx

from leadwire import Contact, ErasureReport
from leadwire_bitrix24 import Bitrix24Crm

PHONE = "+79990001166"
EMAIL = "erase.me@example.invalid"
PERSON = Contact(name="Тест Удаляемый", phone="8 999 000-11-66", email=EMAIL)


def lead_record(record_id: str) -> dict[str, Any]:
    return {
        "ID": record_id,
        "TITLE": "Стрижка — заявка из website",
        "NAME": "Тест Удаляемый",
        "PHONE": [{"ID": "7001", "VALUE_TYPE": "MOBILE", "VALUE": PHONE}],
        "EMAIL": [{"ID": "7002", "VALUE_TYPE": "WORK", "VALUE": EMAIL}],
    }


def contact_record(record_id: str) -> dict[str, Any]:
    return {
        "ID": record_id,
        "NAME": "Тест",
        "LAST_NAME": "Удаляемый",
        "PHONE": [{"ID": "7101", "VALUE_TYPE": "WORK", "VALUE": PHONE}],
        "IM": [{"ID": "7102", "VALUE_TYPE": "TELEGRAM", "VALUE": "fake_handle"}],
    }


def found_everywhere(duplicates: Callable[..., Any]) -> Any:
    return duplicates(
        {PHONE: {"LEAD": [12, 13], "CONTACT": [40]}, EMAIL: {"LEAD": [12]}}
    )


async def test_delete_mode_deletes_and_reports_each_record(
    crm: Bitrix24Crm,
    portal: respx.MockRouter,
    duplicates: Callable[..., Any],
    batch: Callable[..., Any],
    sent: Callable[[Any], dict[str, Any]],
) -> None:
    """Every lead and contact is deleted; a refused one is reported with its code."""
    portal.post("crm.duplicate.findbycomm.json").mock(
        side_effect=found_everywhere(duplicates)
    )
    route = portal.post("batch.json").mock(
        side_effect=batch(
            errors={"crm.lead.delete?id=13": ("ACCESS_DENIED", "Access denied")}
        )
    )

    report = await crm.erase_person(PERSON)

    assert report == ErasureReport(
        erased=("lead:12", "contact:40"),
        failed=("lead:13: ACCESS_DENIED",),
    )
    assert sorted(sent(route.calls.last)["cmd"].values()) == [
        "crm.contact.delete?id=40",
        "crm.lead.delete?id=12",
        "crm.lead.delete?id=13",
    ]


async def test_a_record_already_gone_counts_as_erased(
    crm: Bitrix24Crm,
    portal: respx.MockRouter,
    duplicates: Callable[..., Any],
    batch: Callable[..., Any],
) -> None:
    """ "Not found" on delete means the data is gone: erased, not failed."""
    portal.post("crm.duplicate.findbycomm.json").mock(
        side_effect=duplicates({PHONE: {"LEAD": [12]}})
    )
    portal.post("batch.json").mock(
        side_effect=batch(errors={"crm.lead.delete?id=12": ("", "Not found")})
    )

    report = await crm.erase_person(PERSON)

    assert report == ErasureReport(erased=("lead:12",))


async def test_blank_mode_keeps_the_records_without_the_person(
    make_crm: Callable[..., Bitrix24Crm],
    portal: respx.MockRouter,
    duplicates: Callable[..., Any],
    batch: Callable[..., Any],
    sent: Callable[[Any], dict[str, Any]],
) -> None:
    """Names and comments are emptied, every phone, e-mail and messenger removed."""
    crm = make_crm(erasure="blank")
    portal.post("crm.duplicate.findbycomm.json").mock(
        side_effect=duplicates({PHONE: {"LEAD": [12], "CONTACT": [40]}})
    )
    route = portal.post("batch.json").mock(
        side_effect=batch(
            results={
                "crm.lead.get?id=12": lead_record("12"),
                "crm.contact.get?id=40": contact_record("40"),
            }
        )
    )

    report = await crm.erase_person(PERSON)

    blank = {"NAME": "", "SECOND_NAME": "", "LAST_NAME": "", "COMMENTS": ""}
    updates = sent(route.calls.last)["cmd"]
    assert updates["lead_12"] == (
        "crm.lead.update?id=12"
        + "".join(f"&fields%5B{name}%5D=" for name in blank)
        + "&fields%5BPHONE%5D%5B0%5D%5BID%5D=7001&fields%5BPHONE%5D%5B0%5D%5BVALUE%5D="
        + "&fields%5BEMAIL%5D%5B0%5D%5BID%5D=7002&fields%5BEMAIL%5D%5B0%5D%5BVALUE%5D="
    )
    assert "fields%5BIM%5D%5B0%5D%5BID%5D=7102" in updates["contact_40"]
    assert report.erased == (
        "lead:12: personal fields blanked",
        "contact:40: personal fields blanked",
    )
    assert report.kept == (
        "lead:12: record kept without personal data",
        "contact:40: record kept without personal data",
    )
    assert report.failed == ()


async def test_blank_mode_reports_a_record_it_could_not_read(
    make_crm: Callable[..., Bitrix24Crm],
    portal: respx.MockRouter,
    duplicates: Callable[..., Any],
    batch: Callable[..., Any],
) -> None:
    """A record that cannot be read is failed, and the others are still blanked."""
    crm = make_crm(erasure="blank")
    portal.post("crm.duplicate.findbycomm.json").mock(
        side_effect=duplicates({PHONE: {"LEAD": [12, 13]}})
    )
    portal.post("batch.json").mock(
        side_effect=batch(
            errors={"crm.lead.get?id=13": ("ACCESS_DENIED", "")},
            results={"crm.lead.get?id=12": lead_record("12")},
        )
    )

    report = await crm.erase_person(PERSON)

    assert report.failed == ("lead:13: ACCESS_DENIED",)
    assert report.erased == ("lead:12: personal fields blanked",)


async def test_nobody_found_erases_nothing_and_sends_no_batch(
    crm: Bitrix24Crm, portal: respx.MockRouter, duplicates: Callable[..., Any]
) -> None:
    """An unknown person gives an empty report."""
    portal.post("crm.duplicate.findbycomm.json").mock(side_effect=duplicates({}))

    assert await crm.erase_person(PERSON) == ErasureReport()


async def test_export_returns_what_the_portal_holds(
    crm: Bitrix24Crm,
    portal: respx.MockRouter,
    duplicates: Callable[..., Any],
    batch: Callable[..., Any],
) -> None:
    """export_person reads back every lead and contact found, and names failures."""
    portal.post("crm.duplicate.findbycomm.json").mock(
        side_effect=found_everywhere(duplicates)
    )
    portal.post("batch.json").mock(
        side_effect=batch(
            errors={"crm.lead.get?id=13": ("ACCESS_DENIED", "")},
            results={
                "crm.lead.get?id=12": lead_record("12"),
                "crm.contact.get?id=40": contact_record("40"),
            },
        )
    )

    export = await crm.export_person(PERSON)

    assert export == {
        "system": "Bitrix24",
        "portal": "example-salon.bitrix24.ru",
        "leads": [lead_record("12")],
        "contacts": [contact_record("40")],
        "failed": ["lead:13: ACCESS_DENIED"],
    }
