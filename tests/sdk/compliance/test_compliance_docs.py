"""docs/operations.md documents every audit action; its commands work."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import test_compliance_cli
from compliance_persons import talk

from leadwire.compliance import COMPLIANCE_ACTIONS

setup = test_compliance_cli.setup  # the fixture: two clients, a config file
run_cli = test_compliance_cli.run_cli
DOC = Path(__file__).parents[3] / "docs" / "operations.md"


def test_every_compliance_action_is_documented():
    """The audit actions table lists exactly the actions written here."""
    section = DOC.read_text(encoding="utf-8").split("## Audit actions", 1)[1]
    section = section.split("\n## ", 1)[0]
    names = re.findall(r"^\| `([a-z_.]+)` \|", section, flags=re.MULTILINE)

    assert names == list(COMPLIANCE_ACTIONS)


#: The client the page's examples name: its phone, and an id stood in for.
SHOWN = {
    "conversation": "chat-shown",
    "phone": "+7 999 000-00-00",
    "e164": "+79990000000",
    "name": "Тестина",
    "email": "shown.test@example.com",
}
SHOWN_ID = "CLIENT_1a2b3c4d5e6f"


def shown_commands() -> list[list[str]]:
    """The words of each `leadwire` command in the page's sh blocks, in order."""
    blocks = re.findall(r"```sh\n(.*?)\n```", DOC.read_text("utf-8"), re.DOTALL)
    commands = []
    for line in "\n".join(blocks).splitlines():
        words = shlex.split(line, comments=True)
        if ">" in words:  # the shell's redirection, not an argument
            words = words[: words.index(">")]
        commands.append(words)
    return commands


async def test_every_shown_command_runs_as_shown(setup, host, tmp_path):
    """Each command operations.md shows exits 0 on a setup holding its client."""
    await talk(setup, SHOWN, "s")
    client_id = setup.client_id("chat", SHOWN["conversation"]).value
    commands = shown_commands()
    assert len(commands) == 9

    for words in commands:
        assert words[0] == "leadwire"
        arguments = [client_id if word == SHOWN_ID else word for word in words[1:]]
        result = await run_cli(host, tmp_path, *arguments)
        assert result.exit_code == 0, f"{words}: {result.output}"
