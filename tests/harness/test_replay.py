"""Replays through the real engine: passing ones, and engines broken on purpose."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from harness_samples import REPEATED

from leadwire.engine.intake import Intake
from leadwire.pii import Pseudonymized, Pseudonymizer
from leadwire_harness.checks import check
from leadwire_harness.configuration import ReplaySetup, temporary_env
from leadwire_harness.faults import FAULTS, plan
from leadwire_harness.loader import bundled_paths, load_dialogue
from leadwire_harness.providers import Providers, UnmockedRequest
from leadwire_harness.providers.base import Call
from leadwire_harness.results import Outcome
from leadwire_harness.runner import Observation, replay
from leadwire_harness.session import ReplaySession


async def test_booking_passes_and_files_one_lead(replay_session, write_dialogue):
    """The booking dialogue passes every check and leaves one lead in the CRM."""
    dialogue = load_dialogue(write_dialogue())

    observation = await replay(
        dialogue, FAULTS["none"], replay_session.setup, replay_session.host
    )

    assert check(observation) == []
    assert len(observation.leads) == 1
    assert observation.restarts == 0


async def test_standard_faults_recover_to_the_reference_state(
    replay_session, write_dialogue
):
    """Under the standard plan every replay ends as the fault-free one did."""
    dialogue = load_dialogue(write_dialogue())

    results = await replay_session.run(dialogue, plan("standard"))

    failed = {r.fault: [p.message for p in r.problems] for r in results if not r.passed}
    assert failed == {}
    assert results[0].fault == "none"


async def test_killed_process_restarts_on_the_same_database(
    replay_session, write_dialogue
):
    """crash-first kills the engine at every step once and still passes."""
    dialogue = load_dialogue(write_dialogue())

    observation = await replay(
        dialogue, FAULTS["crash-first"], replay_session.setup, replay_session.host
    )

    assert observation.restarts >= 5
    assert len(set(observation.crashed_at)) == observation.restarts
    assert check(observation) == []


async def test_disabled_pseudonymisation_is_caught(
    replay_session, write_dialogue, monkeypatch
):
    """An engine sending raw text to the LLM fails with the persona values named."""

    def pass_through(self, text, mapping):
        return Pseudonymized(text, ())

    monkeypatch.setattr(Pseudonymizer, "pseudonymize", pass_through)
    dialogue = load_dialogue(write_dialogue())

    results = await replay_session.run(dialogue, plan("none"))

    leaks = {p.message: p.actual for p in results[0].problems if p.check == "privacy"}
    assert results[0].outcome is Outcome.FAILED
    assert leaks["persona.name reached an LLM request"].startswith("LLM request 1")
    assert "persona.phone reached an LLM request" in leaks
    assert all("Тестоева" not in p.actual for p in results[0].problems)


async def test_skipped_dedupe_is_caught(replay_session, write_dialogue, monkeypatch):
    """An engine that stores a repeated delivery as new fails on replies sent."""
    original = Intake._row
    seen = Counter()

    def no_dedupe(self, name, event, moment):
        row = original(self, name, event, moment)
        seen[row["event_id"]] += 1
        row["event_id"] = f"{row['event_id']}#{seen[row['event_id']]}"
        return row

    monkeypatch.setattr(Intake, "_row", no_dedupe)
    dialogue = load_dialogue(write_dialogue(REPEATED, "dialogue_repeated.yaml"))

    results = await replay_session.run(dialogue, plan("none"))

    problems = [p for p in results[0].problems if p.check == "replies"]
    assert problems, results[0].problems
    assert "message(s) reached the client; 3 expected" in problems[0].message


async def test_unmocked_hosts_are_refused_and_recorded(replay_session):
    """A request to a host no mock answers fails and is listed for the report."""
    with temporary_env(replay_session.setup.env):
        providers = Providers(replay_session.setup.config, None)

    with pytest.raises(UnmockedRequest):
        await providers.http.get("https://elsewhere.invalid/")
    await providers.aclose()

    assert providers.unmocked == ["GET https://elsewhere.invalid"]


def _observation(dialogue, **fields) -> Observation:
    observation = Observation(dialogue=dialogue, fault=FAULTS["none"])
    for name, value in fields.items():
        setattr(observation, name, value)
    return observation


def test_crm_write_before_consent_is_a_problem(write_dialogue):
    """A lead sent to the CRM before the client consented is reported."""
    dialogue = load_dialogue(write_dialogue())
    early = Call("bitrix24", "crm.lead.add", {}, 0, 200)

    problems = check(_observation(dialogue, calls=[early]))

    assert any(
        p.check == "before-consent" and "never consented" in p.message for p in problems
    )


def test_crm_write_before_consent_names_turns_by_key_path(write_dialogue):
    """The before-consent problem names turns as key paths, as validation does."""
    dialogue = load_dialogue(write_dialogue())
    early = Call("bitrix24", "crm.lead.add", {}, 0, 200)
    consented = datetime(2026, 3, 10, 11, 1, tzinfo=UTC)
    minute = timedelta(minutes=1)
    turns = [consented - minute, consented, consented + minute]

    problems = check(
        _observation(
            dialogue,
            calls=[early],
            turn_started=turns,
            consent=[{"purpose": "booking", "decision": "granted", "at": consented}],
        )
    )

    assert [p.message for p in problems if p.check == "before-consent"] == [
        "crm.lead.add reached the CRM during turns[0], before the client "
        "consented (turns[1])"
    ]


def test_broken_audit_chain_is_a_problem(write_dialogue):
    """An audit log whose chain does not verify fails the replay."""
    dialogue = load_dialogue(write_dialogue())

    problems = check(_observation(dialogue, audit_problems=["entry 3: altered"]))

    assert any(p.check == "audit-chain" and "entry 3" in p.message for p in problems)


async def test_dialogue_of_a_channel_not_configured_is_skipped(
    replay_session, write_dialogue, monkeypatch
):
    """A dialogue whose channel the configuration lacks is skipped, with why."""
    monkeypatch.setattr(ReplaySetup, "channel_named", lambda self, kind: None)
    dialogue = load_dialogue(write_dialogue())

    results = await replay_session.run(dialogue, plan("crm-503"))

    assert [r.outcome for r in results] == [Outcome.SKIPPED, Outcome.SKIPPED]
    assert results[0].reason == "the configuration has no telegram channel"


async def test_faults_that_cannot_apply_are_skipped(replay_session, write_dialogue):
    """An LLM fault in a dialogue that never asks the LLM is skipped, not run."""
    refused = (
        "title: t\nchannel: telegram\npersona: {name: Тест}\n"
        "turns: [{text: Привет}, {press: refuse}]\nexpect: {crm: none}\n"
    )
    dialogue = load_dialogue(write_dialogue(refused, "dialogue_refused.yaml"))

    results = await replay_session.run(dialogue, plan("llm-500"))

    assert results[0].outcome is Outcome.PASSED
    assert results[1].outcome is Outcome.SKIPPED
    assert "makes no LLM request" in results[1].reason


def test_crm_write_inside_a_batch_before_consent_is_a_problem(write_dialogue):
    """A lead added through batch before consent is caught like a direct one."""
    dialogue = load_dialogue(write_dialogue())
    batch = Call(
        "bitrix24", "batch", {"cmd": {"a": "crm.lead.add?fields[NAME]=x"}}, 0, 200
    )

    problems = check(_observation(dialogue, calls=[batch]))

    assert any(
        p.check == "before-consent" and p.message.startswith("crm.lead.add")
        for p in problems
    )


CLIENT_CONFIG = """\
[business]
name = "Барбершоп «Проба»"

[consent]
version = "7"
operator = "ИП Пробный П. П."
purpose = "запись на услуги"
data = ["имя", "телефон"]
term = "1 год"
withdraw = "напишите «стоп»"

[channels.bot]
plugin = "telegram"
bot_token = "env:CLIENT_BOT_TOKEN"
secret_token = "env:CLIENT_BOT_SECRET"

[crm]
plugin = "bitrix24"
webhook_url = "env:CLIENT_PORTAL"

[llm]
plugin = "gpt"
base_url = "https://llm.client.invalid/v1"
api_key = "env:CLIENT_LLM_KEY"
api = "responses"
structured = "tool"

[storage]
vault_key = "env:CLIENT_VAULT"
"""


async def test_client_configuration_replays_with_dummy_secrets(
    write_dialogue, tmp_path, monkeypatch
):
    """A client's file is used as it is: its channel name, its LLM API, no env."""
    for name in ("CLIENT_BOT_TOKEN", "CLIENT_PORTAL", "CLIENT_LLM_KEY"):
        monkeypatch.delenv(name, raising=False)
    config = tmp_path / "client.toml"
    config.write_text(CLIENT_CONFIG, encoding="utf-8")
    session = ReplaySession(config, host=None)
    dialogue = load_dialogue(write_dialogue())

    results = await session.run(dialogue, plan("none"))
    skipped = await session.run(load_dialogue(bundled_paths()[-1]), plan("none"))

    assert [p.message for p in results[0].problems] == []
    assert session.setup.label == "client.toml"
    assert skipped[0].reason == "the configuration has no whatsapp channel"
