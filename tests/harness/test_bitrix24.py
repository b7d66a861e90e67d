"""The in-memory Bitrix24 portal answers REST as a portal does."""

from __future__ import annotations

import httpx
import pytest

from leadwire_harness.clock import FakeClock
from leadwire_harness.providers.base import Failure
from leadwire_harness.providers.bitrix24 import Portal, PortalError

URL = "https://replay-portal.bitrix24.ru/rest/1/c0de0000c0de0000/"


def call(portal: Portal, method: str, body: object, url: str = URL) -> httpx.Response:
    request = httpx.Request("POST", f"{url}{method}.json", json=body)
    return portal.handle(request)


def test_leads_are_stored_and_found_by_phone_written_any_way():
    """A lead crm.lead.add stores is found by a phone written another way."""
    portal = Portal(URL, FakeClock())
    fields = {
        "NAME": "Тест",
        "PHONE": [{"VALUE": "+79215550123", "VALUE_TYPE": "MOBILE"}],
    }

    added = call(portal, "crm.lead.add", {"fields": fields})
    found = call(
        portal,
        "crm.duplicate.findbycomm",
        {"type": "PHONE", "values": ["8 (921) 555-01-23"], "entity_type": "LEAD"},
    )
    stored = call(portal, "crm.lead.get", {"id": added.json()["result"]})

    assert found.json()["result"] == {"LEAD": [1]}
    assert stored.json()["result"]["PHONE"] == [
        {"ID": "1", "VALUE_TYPE": "MOBILE", "VALUE": "+79215550123", "TYPE_ID": "PHONE"}
    ]
    assert stored.json()["result"]["STATUS_ID"] == "NEW"


def test_no_match_is_an_empty_list_as_php_sends_it():
    """findbycomm with no match answers [] rather than {}."""
    portal = Portal(URL, FakeClock())

    found = call(portal, "crm.duplicate.findbycomm", {"type": "PHONE", "values": ["1"]})

    assert found.json()["result"] == []


def test_list_filters_with_operators():
    """crm.lead.list understands =, !, > and @ prefixes in its filter."""
    portal = Portal(URL, FakeClock())
    for origin in ("lw-a", "lw-b"):
        call(portal, "crm.lead.add", {"fields": {"ORIGIN_ID": origin}})

    same = call(portal, "crm.lead.list", {"filter": {"=ORIGIN_ID": "lw-b"}})
    others = call(portal, "crm.lead.list", {"filter": {"!ORIGIN_ID": "lw-b"}})
    among = call(portal, "crm.lead.list", {"filter": {"@ID": ["1", "2"], ">ID": 1}})

    assert [lead["ORIGIN_ID"] for lead in same.json()["result"]] == ["lw-b"]
    assert [lead["ORIGIN_ID"] for lead in others.json()["result"]] == ["lw-a"]
    assert [lead["ID"] for lead in among.json()["result"]] == ["2"]


def test_batch_reports_each_command_and_hides_no_error():
    """batch answers every key: results beside errors."""
    portal = Portal(URL, FakeClock())
    call(portal, "crm.lead.add", {"fields": {"NAME": "Тест"}})

    answer = call(
        portal,
        "batch",
        {"halt": 0, "cmd": {"ok": "crm.lead.get?id=1", "gone": "crm.lead.get?id=9"}},
    ).json()["result"]

    assert answer["result"]["ok"]["NAME"] == "Тест"
    assert answer["result_error"]["gone"]["error_description"] == "Not found"


def test_delete_removes_and_update_adds_phones():
    """update adds a multi-field value without an ID; delete removes the lead."""
    portal = Portal(URL, FakeClock())
    call(portal, "crm.lead.add", {"fields": {"PHONE": [{"VALUE": "+79215550123"}]}})

    call(
        portal,
        "crm.lead.update",
        {"id": 1, "fields": {"PHONE": [{"VALUE": "+74955550000"}]}},
    )
    phones = [p["VALUE"] for p in portal.lead_list()[0]["PHONE"]]
    deleted = call(portal, "crm.lead.delete", {"id": 1})

    assert phones == ["+79215550123", "+74955550000"]
    assert deleted.json()["result"] is True
    assert portal.lead_list() == []


@pytest.mark.parametrize(
    ("auth", "url", "code"),
    [
        ("rejected", URL, "NO_AUTH_FOUND"),
        ("expired", URL, "expired_token"),
        ("ok", "https://replay-portal.bitrix24.ru/rest/1/wrongcode/", "NO_AUTH_FOUND"),
    ],
)
def test_bad_credentials_get_401(auth, url, code):
    """A wrong webhook code or a refused token is a 401 with Bitrix24's code."""
    portal = Portal(URL, FakeClock(), auth=auth)

    answer = call(portal, "crm.lead.list", {}, url=url)

    assert answer.status_code == 401
    assert answer.json()["error"] == code


def test_unknown_method_is_refused():
    """A method the portal does not have gets ERROR_METHOD_NOT_FOUND."""
    with pytest.raises(PortalError, match="ERROR_METHOD_NOT_FOUND"):
        Portal(URL, FakeClock()).call("crm.quote.add", {})


def test_lost_answer_still_does_the_write():
    """A lost-answer fault stores the lead and then times out."""
    portal = Portal(URL, FakeClock())
    portal.faults.arm(Failure("lost", timeout=True, after_effect=True))

    with pytest.raises(httpx.ReadTimeout):
        call(portal, "crm.lead.add", {"fields": {"NAME": "Тест"}})

    assert len(portal.lead_list()) == 1
    assert portal.calls[0].status == 0
    assert portal.calls[0].fault == "lost"
