"""Replaying the bundled dialogues against the setup ``leadwire init`` writes."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from leadwire.cli import build_cli
from leadwire.cli._common import Context
from leadwire_harness.checks import crm_leads
from leadwire_harness.faults import plan
from leadwire_harness.loader import bundled_paths, load_dialogue
from leadwire_harness.results import Outcome
from leadwire_harness.runner import replay
from leadwire_harness.session import ReplaySession, run_replays

NOTE = "llm: offline replaced by the scripted model for the replay"


@pytest.fixture(scope="module")
def starter(replay_session, tmp_path_factory) -> Path:
    """The starter configuration (website, local CRM, offline model) of init."""
    directory = tmp_path_factory.mktemp("starter") / "salon"
    cli = build_cli(Context(replay_session.host))
    result = CliRunner().invoke(cli, ["init", str(directory)])
    assert result.exit_code == 0, result.output
    return directory / "leadwire.toml"


@pytest.fixture(scope="module")
def starter_session(replay_session, starter) -> ReplaySession:
    """A replay session on the starter configuration."""
    return ReplaySession(starter, replay_session.host)


def _website_paths() -> list[Path]:
    return [
        path for path in bundled_paths() if load_dialogue(path).channel == "website"
    ]


def test_starter_replay_passes_and_names_the_replaced_model(replay_session, starter):
    """The command line replays every bundled dialogue on the starter: exit 0."""
    cli = build_cli(Context(replay_session.host))

    result = CliRunner().invoke(
        cli, ["replay", "--jobs", "1", "--config", str(starter)]
    )

    assert result.exit_code == 0, result.output
    assert result.output.count(NOTE) == 1
    assert " 0 failed" in result.output


def test_starter_replaces_only_the_model(starter_session):
    """Offline becomes the scripted gpt; channels and CRM stay the client's."""
    config = starter_session.setup.config

    assert config.llm.plugin == "gpt"
    assert config.crm.plugin == "local"
    assert [c.plugin for c in config.channels.values()] == ["website"]
    assert starter_session.setup.notes == (NOTE,)


def test_starter_passes_website_dialogues_and_skips_the_rest(starter_session):
    """Website dialogues pass on the local CRM; the others skip with a reason."""
    report = run_replays(bundled_paths(), session=starter_session)

    ran = [r for r in report.results if r.outcome is not Outcome.SKIPPED]
    skipped = [r for r in report.results if r.outcome is Outcome.SKIPPED]
    assert [r.outcome for r in ran] == [Outcome.PASSED] * len(ran), [
        (r.dialogue, r.problems) for r in ran
    ]
    assert {r.channel for r in ran} == {"website"}
    assert len(ran) >= 2
    assert {r.channel for r in skipped} >= {"whatsapp", "instagram", "telegram"}
    assert all(r.reason for r in skipped)
    assert report.passed


def test_starter_website_dialogues_recover_from_standard_faults(starter_session):
    """Under the standard faults the website dialogues still pass or do not apply."""
    report = run_replays(_website_paths(), "standard", session=starter_session)

    ran = [r for r in report.results if r.outcome is not Outcome.SKIPPED]
    assert len(ran) > len(_website_paths()), "no fault applied at all"
    assert all(r.outcome is Outcome.PASSED for r in ran), [
        (r.dialogue, r.fault, r.problems) for r in ran if not r.passed
    ]
    assert all(r.reason for r in report.results if r.outcome is Outcome.SKIPPED)


async def test_local_crm_lead_is_what_the_lead_check_reads(starter_session):
    """With the local CRM the lead check reads the local leads, not the portal."""
    path = next(path for path in _website_paths() if path.stem == "website_form")

    observation = await replay(
        load_dialogue(path),
        plan("none")[0],
        starter_session.setup,
        starter_session.host,
    )

    assert not observation.crm_mocked
    assert len(observation.local_leads) == 1
    assert crm_leads(observation)[0]["NAME"] == observation.local_leads[0]["name"]
