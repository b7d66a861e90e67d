"""``leadwire replay`` as a user runs it: outputs, reports, exit codes."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from leadwire.cli import build_cli
from leadwire.cli._common import Context

FAILING = """\
title: "Ожидание, которое не сбудется"
channel: telegram
persona:
  name: Ксения Тестоева
  phone: "+7 921 555-01-23"
turns:
  - text: Здравствуйте, Ксения Тестоева на связи
expect:
  replies: [Записала на маникюр]
"""


@pytest.fixture
def run(replay_session):
    """Invoke the command line with the session's plugins, in one process."""
    cli = build_cli(Context(replay_session.host))

    def invoke(*args: str):
        return CliRunner().invoke(cli, ["replay", "--jobs", "1", *args])

    return invoke


def test_passing_dialogue_exits_0_and_writes_both_reports(
    run, write_dialogue, tmp_path
):
    """A passing replay exits 0 and writes JUnit XML and an HTML report."""
    path = write_dialogue()
    junit, html = tmp_path / "out" / "replay.xml", tmp_path / "replay.html"

    result = run(str(path), "--junit", str(junit), "--html", str(html))

    assert result.exit_code == 0, result.output
    assert "1 passed, 0 failed" in result.output
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite.get("tests") == "1"
    assert suite.get("failures") == "0"
    assert "dialogue_booking" in html.read_text(encoding="utf-8")


def test_failing_dialogue_exits_1_with_a_readable_diff(run, write_dialogue, tmp_path):
    """A failure exits 1 and shows what was expected beside what came."""
    path = write_dialogue(FAILING, "dialogue_failing.yaml")
    junit, html = tmp_path / "replay.xml", tmp_path / "replay.html"

    result = run(str(path), "--junit", str(junit), "--html", str(html))

    assert result.exit_code == 1
    assert "[replies] no reply matching /Записала на маникюр/" in result.output
    assert "- expected: a reply matching /Записала на маникюр/" in result.output
    assert "просит согласие" in result.output  # the reply that did come
    failure = ET.parse(junit).getroot().find("testsuite/testcase/failure")
    assert "no reply matching" in failure.get("message")


def test_reports_carry_no_persona_values(run, write_dialogue, tmp_path):
    """Console, JUnit and HTML output redact the client's name and phone."""
    path = write_dialogue(FAILING, "dialogue_failing.yaml")
    junit, html = tmp_path / "replay.xml", tmp_path / "replay.html"

    result = run(str(path), "--junit", str(junit), "--html", str(html))

    for text in (result.output, junit.read_text("utf-8"), html.read_text("utf-8")):
        assert "Тестоева" not in text
        assert "555-01-23" not in text


#: A failing dialogue whose own texts (title, expected patterns) hold its
#: persona's values; every name and number is invented.
PERSONA_IN_PATTERNS = """\
title: "Фейкина Тестовна ждёт звонка"
channel: telegram
persona:
  name: Фейкина Тестовна
  phone: "+7 900 000-00-07"
turns:
  - text: Здравствуйте
expect:
  replies: [Фейкина Тестовна никогда, 'звоним на \\+7 900 000-00-07']
  reply_count: 5
"""


def test_expected_patterns_with_persona_values_are_masked_everywhere(
    run, write_dialogue, tmp_path
):
    """Persona values in a dialogue's own patterns never reach any output."""
    path = write_dialogue(PERSONA_IN_PATTERNS, "dialogue_masked.yaml")
    junit, html = tmp_path / "replay.xml", tmp_path / "replay.html"

    result = run(str(path), "--junit", str(junit), "--html", str(html))

    assert result.exit_code == 1
    assert "no reply matching /‹persona.name› никогда/" in result.output
    outputs = (result.output, junit.read_text("utf-8"), html.read_text("utf-8"))
    for text in outputs:
        assert "no reply matching" in text
        for value in ("Фейкин", "Тестовн", "900 000-00-07", "9000000007"):
            assert value not in text


def test_table_counts_skipped_replays_apart(run, write_dialogue):
    """A skipped fault shows beside the passed count, as the summary line has it."""
    path = write_dialogue(
        "title: t\nchannel: telegram\nturns: [{text: Здравствуйте}]\n"
        "expect: {reply_count: 1}\n",
        "dialogue_greeting.yaml",
    )

    result = run(str(path), "--faults", "llm-500")

    assert result.exit_code == 0, result.output
    assert "passed (1/1, 1 skipped)" in result.output
    assert "1 passed, 0 failed, 1 skipped" in result.output


def test_unknown_fault_plan_is_a_usage_error(run, write_dialogue):
    """--faults with an unknown name exits 2 and lists the plans."""
    result = run(str(write_dialogue()), "--faults", "meteor")

    assert result.exit_code == 2
    assert "unknown fault plan or fault 'meteor'" in result.output


def test_invalid_dialogue_file_fails_with_its_path(run, write_dialogue):
    """A broken dialogue file exits 1 naming the file and the key."""
    path = write_dialogue("title: x\nchannel: fax\nturns: [{text: a}]\nexpect: {}\n")

    result = run(str(path))

    assert result.exit_code == 1
    assert "channel: expected one of whatsapp" in result.output


def test_invalid_dialogue_file_shows_every_problem(run, write_dialogue):
    """Every mistake of a broken file is shown in one run, each with its key path."""
    path = write_dialogue(
        "title: x\nchannel: fax\nturns: [{text: a}, {wait: soon}]\n"
        "expect: {reply_count: many}\n"
    )

    result = run(str(path))

    assert result.exit_code == 1
    assert "channel: expected one of whatsapp" in result.output
    assert "turns[1].wait: expected a duration" in result.output
    assert "expect.reply_count: expected a whole number" in result.output


def test_console_script_runs_the_bundled_dialogues_by_default(run, monkeypatch):
    """Without paths the bundled dialogues are replayed (here, the first two)."""
    from leadwire_harness import console, loader

    monkeypatch.setattr(console, "bundled_paths", lambda: loader.bundled_paths()[:2])

    result = run()

    counts = re.search(r"(\d+) passed, (\d+) failed", result.output)
    assert int(counts[1]) + int(counts[2]) == 2
    assert "access_request" in result.output
    assert "consent_refused" in result.output


def test_console_script_in_worker_processes(write_dialogue, tmp_path):
    """The installed ``leadwire`` script replays in two worker processes."""
    first = write_dialogue()
    second = write_dialogue(FAILING, "dialogue_failing.yaml")
    script = Path(sys.executable).parent / "leadwire"

    done = subprocess.run(
        [str(script), "replay", str(first), str(second), "--jobs", "2"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=tmp_path,
    )

    assert done.returncode == 1, done.stdout + done.stderr
    assert "1 passed, 1 failed" in done.stdout
    assert "dialogue_failing" in done.stdout
