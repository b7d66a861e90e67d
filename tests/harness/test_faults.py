"""Fault plans and the crash plan."""

from __future__ import annotations

import pytest

from leadwire_harness.faults import FAULTS, PLANS, CrashPlan, SimulatedCrash, plan
from leadwire_harness.providers.base import Failure, FaultQueue


def test_plans_start_with_the_reference_replay():
    """Every plan replays without faults first; all covers every fault once."""
    assert [fault.name for fault in plan("none")] == ["none"]
    assert plan("standard")[0].name == "none"
    assert {fault.name for fault in plan("all")} == set(FAULTS)
    assert set(PLANS["standard"]) < set(PLANS["all"])


def test_fault_names_can_be_listed():
    """A comma-separated list picks single faults; unknown names are refused."""
    assert [fault.name for fault in plan("crm-503, crash-first")] == [
        "none",
        "crm-503",
        "crash-first",
    ]
    with pytest.raises(ValueError, match="unknown fault plan or fault 'crm-999'"):
        plan("crm-999")


def test_crash_first_kills_once_per_step_name():
    """In "first" mode every step name crashes once, at its first occurrence."""
    crash = CrashPlan("first")

    with pytest.raises(SimulatedCrash):
        crash.on_step("inbox.claimed")
    crash.on_step("inbox.claimed")
    with pytest.raises(SimulatedCrash):
        crash.on_step("reply.sent")

    assert crash.crashed == ["inbox.claimed", "reply.sent"]


def test_crash_last_waits_for_the_last_occurrence():
    """In "last" mode a step crashes at the count the reference replay saw."""
    crash = CrashPlan("last", {"reply.sent": 3})

    crash.on_step("reply.sent")
    crash.on_step("reply.sent")
    with pytest.raises(SimulatedCrash):
        crash.on_step("reply.sent")


def test_simulated_crash_escapes_except_exception():
    """A crash is a BaseException: no ``except Exception`` can swallow it."""
    assert not issubclass(SimulatedCrash, Exception)


def test_fault_queue_skips_then_hits_the_right_operation():
    """A failure hits only its operation, after its skips, for its times."""
    queue = FaultQueue()
    queue.arm(Failure("add-fails", operation="crm.lead.add", skip=1, times=2))

    hits = [
        queue.take(op)
        for op in ["crm.lead.list", "crm.lead.add"] + ["crm.lead.add"] * 3
    ]

    assert [hit.name if hit else None for hit in hits] == [
        None,
        None,
        "add-fails",
        "add-fails",
        None,
    ]
    assert queue.pending == []


def test_crash_every_kills_after_each_step_and_spares_one_redo():
    """In "every" mode each step but a life's first crashes; a redo passes once."""
    crash = CrashPlan("every")
    crash.started()

    crash.on_step("inbox.claimed")
    with pytest.raises(SimulatedCrash):
        crash.on_step("status.recorded")
    crash.started()
    crash.on_step("inbox.claimed")
    crash.on_step("status.recorded")  # redone after the restart: let through
    with pytest.raises(SimulatedCrash):
        crash.on_step("inbox.done")

    assert crash.crashed == ["status.recorded", "inbox.done"]
