"""Batches: at most 50 commands a request, every command reported by its key."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx

from leadwire_bitrix24 import Bitrix24Crm
from leadwire_bitrix24.faults import OutcomeUnknownError
from leadwire_bitrix24.transport import BatchOutcome, Command


def test_commands_are_encoded_as_php_queries() -> None:
    """Nested filters and lists become filter[ID][0]=... query strings."""
    command = Command(
        "crm.lead.list",
        {"filter": {"ID": [12, 40], "STATUS_ID": "NEW"}, "select": ["ID"]},
    )

    assert command.encode() == (
        "crm.lead.list?filter%5BID%5D%5B0%5D=12&filter%5BID%5D%5B1%5D=40"
        "&filter%5BSTATUS_ID%5D=NEW&select%5B0%5D=ID"
    )


async def test_a_partial_failure_hides_no_other_result(
    crm: Bitrix24Crm,
    portal: respx.MockRouter,
    batch: Callable[..., Any],
    sent: Callable[[Any], dict[str, Any]],
) -> None:
    """One failing command is reported by key beside the others' results."""
    route = portal.post("batch.json").mock(
        side_effect=batch(
            errors={"crm.lead.get?id=13": ("ACCESS_DENIED", "Access denied.")},
            results={"crm.lead.get?id=12": {"ID": "12"}},
        )
    )

    outcomes = await crm.transport.batch(
        {
            "a": Command("crm.lead.get", {"id": 12}),
            "b": Command("crm.lead.get", {"id": 13}),
            "c": Command("crm.lead.delete", {"id": 14}),
        }
    )

    assert outcomes == {
        "a": BatchOutcome("a", ok=True, result={"ID": "12"}),
        "b": BatchOutcome(
            "b", ok=False, error="ACCESS_DENIED", description="Access denied."
        ),
        "c": BatchOutcome("c", ok=True, result=True),
    }
    assert sent(route.calls.last) == {
        "halt": 0,
        "cmd": {
            "a": "crm.lead.get?id=12",
            "b": "crm.lead.get?id=13",
            "c": "crm.lead.delete?id=14",
        },
    }


async def test_all_failing_answers_empty_results_as_a_list(
    crm: Bitrix24Crm, portal: respx.MockRouter, batch: Callable[..., Any]
) -> None:
    """The portal's ``"result": []`` when nothing succeeded is read as no results."""
    portal.post("batch.json").mock(
        side_effect=batch(errors={"crm.lead.get?id=1": ("NOT_FOUND", "Not found")})
    )

    outcomes = await crm.transport.batch({"x": Command("crm.lead.get", {"id": 1})})

    assert outcomes["x"].ok is False
    assert outcomes["x"].error == "NOT_FOUND"


async def test_large_batches_are_chunked_by_fifty(
    crm: Bitrix24Crm,
    portal: respx.MockRouter,
    batch: Callable[..., Any],
    sent: Callable[[Any], dict[str, Any]],
) -> None:
    """120 commands go out as 50, 50 and 20, and all 120 are reported."""
    route = portal.post("batch.json").mock(side_effect=batch())
    commands = {f"k{n}": Command("crm.lead.get", {"id": n}) for n in range(120)}

    outcomes = await crm.transport.batch(commands)

    assert [len(sent(call)["cmd"]) for call in route.calls] == [50, 50, 20]
    assert set(outcomes) == set(commands)
    assert all(outcome.ok for outcome in outcomes.values())


async def test_a_command_the_portal_skipped_is_reported_not_run(
    crm: Bitrix24Crm, portal: respx.MockRouter
) -> None:
    """A key missing from both results and errors comes back as NOT_RUN."""
    block = {"result": {"a": True}, "result_error": []}
    portal.post("batch.json").respond(json={"result": block})

    outcomes = await crm.transport.batch(
        {
            "a": Command("crm.lead.delete", {"id": 1}),
            "b": Command("crm.lead.delete", {"id": 2}),
        }
    )

    assert outcomes["a"].ok
    assert (outcomes["b"].ok, outcomes["b"].error) == (False, "NOT_RUN")


async def test_a_batch_with_a_create_is_not_resent_after_a_lost_answer(
    crm: Bitrix24Crm, portal: respx.MockRouter
) -> None:
    """A batch holding an add whose answer is lost is not sent again."""
    route = portal.post("batch.json").mock(side_effect=httpx.ReadTimeout("lost"))

    with pytest.raises(OutcomeUnknownError):
        await crm.transport.batch({"a": Command("crm.lead.add", {"fields": {}})})

    assert route.call_count == 1
