"""A crash at any step, then a restart, leaves exactly what a clean run leaves."""

from __future__ import annotations

from collections import Counter

import engine_fakes
import pytest
from engine_fakes import delivery, message
from engine_state import snapshot

from leadwire.engine import STEPS


class Crash(BaseException):
    """The process dies here."""


def scenario() -> list:
    """Consent asked and given, an answered message with a lead, a status, a stop."""
    return [
        delivery(message("m1", "Здравствуйте")),
        delivery(message("m2", "Согласен")),
        delivery(message("m3", "Я Ульяна Тестова, запишите на маникюр")),
        delivery({"id": "s1", "kind": "status", "conversation": "chat-1",
                  "target": "out-1", "status": "read"}),
        delivery(message("m4", "стоп")),
        delivery(message("x1", "Добрый день", conversation="chat-2")),
    ]  # fmt: skip


async def play(make_engine, make_config, tmp_path, crash_at=None):
    """Run the scenario; crash at the (step, occurrence) given, then restart."""
    world = engine_fakes.reset()
    config = make_config(tmp_path / f"run-{crash_at}")
    seen: Counter = Counter()
    steps: list[tuple[str, int]] = []

    def on_step(name: str) -> None:
        seen[name] += 1
        steps.append((name, seen[name]))
        if (name, seen[name]) == crash_at:
            raise Crash

    engine = await make_engine(config=config, on_step=on_step)
    for request in scenario():
        assert (await engine.receive("chat", request)).status == 200
    try:
        await engine.run_until_idle()
    except Crash:
        engine.crashed = True  # dropped without close(), as a dead process
        engine = await make_engine(config=config)
        await engine.run_until_idle()
    else:
        assert crash_at is None, f"step {crash_at} never happened"
    return await snapshot(engine, world), steps


#: The clean run, played once for the module: every crash run compares to it.
CLEAN: list = []


async def clean_run(make_engine, make_config, tmp_path):
    if not CLEAN:
        CLEAN.append(await play(make_engine, make_config, tmp_path))
    return CLEAN[0]


@pytest.mark.parametrize("step", STEPS)
async def test_crash_at_each_step_then_restart_equals_a_clean_run(
    step, make_engine, make_config, tmp_path
):
    """Every occurrence of the step: crash there, restart, same final state."""
    clean, steps = await clean_run(make_engine, make_config, tmp_path)
    occurrences = [index for name, index in steps if name == step]
    assert occurrences, f"the scenario never reaches step {step}"

    for occurrence in occurrences:
        crashed, _ = await play(
            make_engine, make_config, tmp_path, crash_at=(step, occurrence)
        )
        assert crashed == clean, f"crash at {step} #{occurrence}"


async def test_clean_run_has_the_expected_effects(make_engine, make_config, tmp_path):
    """The reference run itself: one prompt each, one LLM call, one lead."""
    clean, _ = await clean_run(make_engine, make_config, tmp_path)

    assert len(clean["prompts"]) == 2
    assert len(clean["llm"]) == 1
    assert len(clean["leads"]) == 1
    assert [decision for _, _, decision, _ in clean["consent"]] == [
        "granted",
        "withdrawn",
    ]
    assert clean["statuses"][0][1] == 3  # read
