"""The consent text names every recipient the running setup's data map lists."""

from __future__ import annotations

import asyncio
import json

from click.testing import CliRunner
from engine_fakes import delivery, message

from leadwire.cli import build_cli
from leadwire.cli._common import Context
from leadwire.config import load_config
from leadwire.datamap import build_datamap
from leadwire.engine import Engine
from leadwire.plugins import load_plugins


def test_starter_data_map_lists_every_flow_and_the_engine_names_them(
    tmp_path, monkeypatch, clock
):
    """The starter's data map lists every flow; the engine names each recipient."""
    monkeypatch.chdir(tmp_path)
    host = load_plugins()
    cli = build_cli(Context(host))
    runner = CliRunner()
    assert runner.invoke(cli, ["init"]).exit_code == 0

    shown = runner.invoke(cli, ["datamap", "--format", "json"])

    assert shown.exit_code == 0, shown.output
    datamap = json.loads(shown.stdout)
    assert datamap["problems"] == []
    assert {flow["component"] for flow in datamap["flows"]} == {
        "channel website",
        "crm",
        "llm",
        "consent store",
        "leadwire",
    }
    config = load_config(tmp_path / "leadwire.toml", host.registry)

    async def engine_recipients() -> list[str]:
        engine = Engine(config, host, clock=clock)
        await engine.start()
        try:
            return engine.datamap().recipients()
        finally:
            await engine.close()

    recipients = asyncio.run(engine_recipients())
    text = config.consent.render(recipients)
    assert recipients == datamap["recipients"]
    assert asyncio.run(build_datamap(config, host)).recipients() == recipients
    for recipient in datamap["recipients"]:
        assert recipient in text


async def test_consent_request_sent_names_the_recipients(make_engine, world):
    """The prompt a client receives lists each recipient of the data map."""
    engine = await make_engine()
    recipients = engine.datamap().recipients()

    await engine.receive("chat", delivery(message("m1", "Здравствуйте")))
    await engine.run_until_idle()

    (_, prompt), *_ = world.prompts
    assert recipients == ["Fake Chat Ltd. (за пределами России)"]
    for recipient in recipients:
        assert recipient in prompt.text
