"""`leadwire redact` as QA and integrators run it."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import leadwire.pii.plugin
from leadwire.cli import build_cli
from leadwire.cli._common import Context
from leadwire.plugins import PluginHost, load_plugins


@pytest.fixture(scope="module")
def pii_host() -> PluginHost:
    """A host with the built-in recognizers only."""
    host = PluginHost()
    host.add("pii", leadwire.pii.plugin)
    return host


def run(host: PluginHost, stdin: str | bytes, *args: str):
    return CliRunner().invoke(build_cli(Context(host)), ["redact", *args], input=stdin)


def test_plain_lines_show_the_text_and_the_entities(pii_host, tmp_path, monkeypatch):
    """Each line is printed pseudonymised, with type, span and placeholder."""
    monkeypatch.chdir(tmp_path)

    result = run(pii_host, "Меня зовут Дарья, тел 8 912 000 12 34\n")

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Меня зовут [PERSON_1], тел [PHONE_1]",
        "  PERSON 11-16 [PERSON_1]",
        "  PHONE 22-37 [PHONE_1]",
    ]
    assert "PERSON 1, PHONE 1" in result.stderr


def test_values_appear_only_when_asked(pii_host, tmp_path, monkeypatch):
    """Values are personal data: --show-values is needed to print them."""
    monkeypatch.chdir(tmp_path)
    text = "тел 8 912 000 12 34\n"

    hidden = run(pii_host, text)
    shown = run(pii_host, text, "--show-values")

    assert "912" not in hidden.output
    assert "'8 912 000 12 34' (+79120001234)" in shown.stdout


def test_one_map_for_the_whole_input(pii_host, tmp_path, monkeypatch):
    """The same phone on two lines, written differently, is one placeholder."""
    monkeypatch.chdir(tmp_path)

    result = run(pii_host, "мой 8 912 000 12 34\nещё раз: +7 (912) 000-12-34\n")

    lines = [line for line in result.stdout.splitlines() if not line.startswith(" ")]
    assert lines == ["мой [PHONE_1]", "ещё раз: [PHONE_1]"]


def test_jsonl_in_and_out(pii_host, tmp_path, monkeypatch):
    """--jsonl reads {"id", "text"} records and prints one record per line."""
    monkeypatch.chdir(tmp_path)
    stdin = '{"id": "m1", "text": "почта d.demo@example.ru"}\n\n'

    result = run(pii_host, stdin, "--jsonl")

    assert result.exit_code == 0
    [record] = [json.loads(line) for line in result.stdout.splitlines()]
    assert record == {
        "id": "m1",
        "text": "почта [EMAIL_1]",
        "entities": [
            {
                "type": "EMAIL",
                "start": 6,
                "end": 23,
                "placeholder": "[EMAIL_1]",
                "recognizer": "email",
            }
        ],
    }


def test_bad_lines_are_reported_and_the_rest_done(pii_host, tmp_path, monkeypatch):
    """A bad JSON line is reported with its number; later lines still run; exit 1."""
    monkeypatch.chdir(tmp_path)
    stdin = (
        '{"id": 1, "text": "мой 8 912 000 12 34"}\n'
        "{not json\n"
        '["no", "text"]\n'
        '{"id": 4, "text": "почта d.demo@example.ru"}\n'
    )

    result = run(pii_host, stdin, "--jsonl")

    assert result.exit_code == 1
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == [1, 4]
    assert "line 2: not valid JSON" in result.stderr
    assert 'line 3: expected an object with a "text" string' in result.stderr
    assert "2 line(s) not pseudonymised" in result.stderr


def test_text_that_fails_detection_is_not_printed(pii_host, tmp_path, monkeypatch):
    """A line over the length limit is refused, never echoed in clear."""
    monkeypatch.chdir(tmp_path)
    long_line = "тел 8 912 000 12 34 " + "а" * 5000

    result = run(pii_host, f"{long_line}\nдо встречи\n")

    assert result.exit_code == 1
    assert "912" not in result.output
    assert "line 1: text of 5020 characters is over the limit" in result.stderr
    assert result.stdout.splitlines() == ["до встречи"]


def test_config_pii_settings_apply(tmp_path):
    """--config brings the client's allow list and disabled recognizers."""
    host = load_plugins()
    CliRunner().invoke(build_cli(Context(host)), ["init", str(tmp_path)])
    config = tmp_path / "leadwire.toml"
    with config.open("a", encoding="utf-8") as file:
        file.write('\n[pii]\nallow = ["Анна"]\ndisabled = ["email"]\n')

    result = run(
        host,
        "запишите к Анне, почта d.demo@example.ru\n",
        "--config",
        str(config),
    )

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["запишите к Анне, почта d.demo@example.ru"]


def test_missing_config_given_explicitly_is_an_error(pii_host, tmp_path):
    """A --config path that does not exist exits 1 with the reason."""
    result = run(pii_host, "текст\n", "--config", str(tmp_path / "none.toml"))

    assert result.exit_code == 1
    assert "does not exist" in result.stderr


def test_no_recognizers_loaded_is_an_error(tmp_path, monkeypatch):
    """Without recognizers nothing would be hidden: exit 1, print nothing."""
    monkeypatch.chdir(tmp_path)

    result = run(PluginHost(), "тел 8 912 000 12 34\n")

    assert result.exit_code == 1
    assert "912" not in result.output
    assert "no personal-data recognizers" in result.stderr


def test_wrong_usage_exits_2(pii_host):
    """An unknown option is a usage error."""
    assert run(pii_host, "", "--nope").exit_code == 2


def test_line_that_is_not_utf8_is_reported_and_the_rest_redacted(
    pii_host, tmp_path, monkeypatch
):
    """Bytes that are not UTF-8 fail their line only, by number, never a crash."""
    monkeypatch.chdir(tmp_path)
    stdin = b"\xff\xfe broken\n" + "тел 8 912 000 12 34\n".encode()

    result = run(pii_host, stdin)

    assert result.exit_code == 1
    assert "line 1: not UTF-8 text" in result.output
    assert "тел [PHONE_1]" in result.output
