"""`leadwire client` and `leadwire purge` as an operator runs them."""

from __future__ import annotations

import asyncio
import json

import pytest
from click.testing import CliRunner
from compliance_persons import ANNA, BORIS, talk
from engine_state import rows

from leadwire.cli import build_cli
from leadwire.cli._common import Context
from leadwire.engine import schema


def toml_value(value):
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        inner = ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items())
        return "{ " + inner + " }"
    return json.dumps(value)


def write_toml(path, data):
    """A small TOML writer for the test configuration (tables of tables)."""
    lines = []
    for section, table in data.items():
        plain = {k: v for k, v in table.items() if not isinstance(v, dict)}
        nested = {k: v for k, v in table.items() if isinstance(v, dict)}
        if plain or not nested:
            lines.append(f"[{section}]")
            lines += [f"{k} = {toml_value(v)}" for k, v in plain.items()]
        for name, sub in nested.items():
            lines.append(f"[{section}.{name}]")
            lines += [f"{k} = {toml_value(v)}" for k, v in sub.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


STAFF = {"members": {"olga": "owner", "ivan": "auditor"}}


@pytest.fixture
async def setup(tmp_path, make_engine, make_config, host):
    """A database with two clients' dialogues, and its configuration file."""
    engine = await make_engine()
    await talk(engine, ANNA, "a")
    await talk(engine, BORIS, "b")
    data = engine_fakes_config(STAFF)
    write_toml(tmp_path / "leadwire.toml", data)
    return engine


def engine_fakes_config(staff):
    from engine_conftest import raw_config

    data = raw_config()
    data["staff"] = staff
    return data


def invoke(host, *args):
    runner = CliRunner()
    return runner.invoke(build_cli(Context(host)), list(args))


def config_args(tmp_path):
    return ["--config", str(tmp_path / "leadwire.toml")]


async def audit_actions(engine):
    return [
        (r.action, r.actor, r.outcome) for r in await rows(engine, schema.audit_log)
    ]


async def test_export_by_phone_prints_the_client_and_is_audited(setup, host, tmp_path):
    """client export PHONE prints JSON of that client, audited as staff."""
    result = await run_cli(
        host, tmp_path, "client", "export", ANNA["phone"], "--operator", "olga"
    )

    assert result.exit_code == 0, result.output
    exported = json.loads(result.stdout)
    assert exported["contact"]["name"] == ANNA["name"]
    assert BORIS["name"] not in result.stdout
    actions = await audit_actions(setup)
    assert ("client.exported", "staff:olga", "ok") in actions
    assert ("request.received", "staff:olga", "ok") in actions


async def test_a_role_without_the_action_is_refused_and_audited(
    setup, host, tmp_path, monkeypatch
):
    """An auditor may not export or erase: exit 1, a staff.refused entry."""
    monkeypatch.setenv("LEADWIRE_OPERATOR", "ivan")
    exported = await run_cli(host, tmp_path, "client", "export", ANNA["phone"])
    erased = await run_cli(host, tmp_path, "client", "erase", ANNA["phone"])
    purged = await run_cli(host, tmp_path, "purge")

    assert (exported.exit_code, erased.exit_code, purged.exit_code) == (1, 1, 1)
    assert "may not export" in exported.stderr
    refused = [a for a in await audit_actions(setup) if a[0] == "staff.refused"]
    assert refused == [("staff.refused", "staff:ivan", "refused")] * 3
    assert ANNA["name"] not in exported.stdout


async def test_erase_then_requests_lists_it_answered(setup, host, tmp_path):
    """client erase removes the client; requests shows it answered, none overdue."""
    erased = await run_cli(
        host, tmp_path, "client", "erase", ANNA["e164"], "--operator", "olga"
    )
    listed = await run_cli(host, tmp_path, "client", "requests")
    overdue = await run_cli(host, tmp_path, "client", "requests", "--overdue")

    assert erased.exit_code == 0, erased.output
    assert "destruction record 1" in erased.stdout
    assert "erasure" in listed.stdout
    assert "answered" in listed.stdout
    assert overdue.exit_code == 0
    assert overdue.stdout == ""
    again = await run_cli(
        host, tmp_path, "client", "export", ANNA["phone"], "--operator", "olga"
    )
    assert again.exit_code == 1
    assert "no client" in again.output


async def test_overdue_request_exits_1(setup, host, tmp_path):
    """An unanswered request past its deadline is reported with exit 1."""
    from leadwire.compliance.requests import open_request

    long_ago = setup.clock.now()  # the fake clock's March is before today
    await open_request(
        setup.database, "access", "CLIENT_000000000001", "olga", long_ago
    )

    overdue = await run_cli(host, tmp_path, "client", "requests", "--overdue")

    assert overdue.exit_code == 1
    assert "OVERDUE" in overdue.stdout


async def test_purge_dry_run_prints_counts(setup, host, tmp_path):
    """purge --dry-run prints what would go by category."""
    result = await run_cli(host, tmp_path, "purge", "--dry-run", "--operator", "olga")

    assert result.exit_code == 0, result.output
    assert "inbox remnants: would remove 4" in result.stdout


def test_bad_phone_is_a_usage_error(tmp_path, host, make_config):
    """Something that is neither an id nor a phone is refused with advice."""
    make_config()
    write_toml(tmp_path / "leadwire.toml", engine_fakes_config({}))

    result = invoke(host, "client", "export", "hello", *config_args(tmp_path))

    assert result.exit_code == 2
    assert "CLIENT_ id or a phone" in result.output


async def run_cli(host, tmp_path, *args):
    """Run the CLI in a thread: it runs its own event loop."""
    return await asyncio.to_thread(invoke, host, *args, *config_args(tmp_path))


async def test_audit_export_of_an_unknown_client_exits_1_unaudited(
    setup, host, tmp_path
):
    """audit export of an id with no entries exits 1 and audits no export."""
    result = await run_cli(
        host, tmp_path, "audit", "export", "--client", "CLIENT_doesnotexist",
        "--operator", "olga",
    )  # fmt: skip

    assert result.exit_code == 1
    assert "no audit entries for this client" in result.stderr
    assert result.stdout == ""
    actions = [action for action, _, _ in await audit_actions(setup)]
    assert "audit.exported" not in actions


async def test_requests_says_so_when_there_are_none(
    tmp_path, host, make_config, make_engine
):
    """client requests with nothing registered prints one line saying so."""
    await make_engine()
    write_toml(tmp_path / "leadwire.toml", engine_fakes_config({}))

    listed = await run_cli(host, tmp_path, "client", "requests")

    assert listed.exit_code == 0, listed.output
    assert listed.stdout == "no access or erasure requests are registered\n"


async def test_export_of_a_phone_not_yet_held_explains_why(setup, host, tmp_path):
    """An unknown phone is answered with why a contact may not be held yet."""
    result = await run_cli(
        host, tmp_path, "client", "export", "+7 999 000-00-99", "--operator", "olga"
    )

    assert result.exit_code == 1
    assert "no client with this phone has given consent yet" in result.stderr


async def test_audit_export_by_an_operator_without_the_role_is_refused(
    setup, host, tmp_path
):
    """audit export checks the [staff] role: a stranger gets exit 1, audited."""
    anna = setup.client_id("chat", ANNA["conversation"]).value

    result = await run_cli(
        host, tmp_path, "audit", "export", "--client", anna, "--operator", "nobody"
    )

    assert result.exit_code == 1
    assert "may not audit" in result.stderr
    assert result.stdout == ""
    actions = await audit_actions(setup)
    assert ("staff.refused", "staff:nobody", "refused") in actions
    assert "audit.exported" not in [action for action, _, _ in actions]
