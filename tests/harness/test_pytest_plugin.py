"""The pytest plugin, as an integrator's project uses it (a pytest subprocess)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from harness_samples import BOOKING

FIXTURE_TEST = '''
import httpx


async def test_portal_and_llm_fixtures(mock_bitrix24, mock_llm, leadwire_providers):
    """The fixtures give working mocks behind one HTTP client."""
    url = mock_bitrix24.host
    answer = await leadwire_providers.http.post(
        f"https://{url}{mock_bitrix24.base_path}crm.lead.add.json",
        json={"fields": {"NAME": "Тест"}},
    )
    assert answer.json()["result"] == 1
    assert mock_bitrix24.lead_list()[0]["NAME"] == "Тест"
    assert mock_llm.calls == []


async def test_engine_fixture_starts(leadwire_engine):
    """The engine fixture is started on a temporary database."""
    assert "telegram" in leadwire_engine.channel_names
'''


def test_dialogue_files_become_tests_and_fixtures_work(tmp_path):
    """dialogue_*.yaml files are collected per fault; the fixtures are usable."""
    (tmp_path / "dialogue_booking.yaml").write_text(BOOKING, encoding="utf-8")
    (tmp_path / "notes.yaml").write_text("not: a dialogue\n", encoding="utf-8")
    (tmp_path / "test_fixtures.py").write_text(FIXTURE_TEST, encoding="utf-8")
    (tmp_path / "pytest.ini").write_text(
        textwrap.dedent(
            """\
            [pytest]
            asyncio_mode = auto
            asyncio_default_fixture_loop_scope = function
            leadwire_faults = crm-503
            """
        ),
        encoding="utf-8",
    )

    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rA"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "PASSED dialogue_booking.yaml::none" in result.stdout
    assert "PASSED dialogue_booking.yaml::crm-503" in result.stdout
    assert "4 passed" in result.stdout


def test_failing_dialogue_reports_its_problems(tmp_path):
    """A failing dialogue test shows the redacted problems, not a traceback."""
    broken = BOOKING.replace("[просит согласие,", "[Такого ответа нет,")
    (tmp_path / "shop.dialogue.yaml").write_text(broken, encoding="utf-8")

    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert result.returncode == 1
    assert "[replies] no reply matching /Такого ответа нет/" in result.stdout
    assert "Тестоева" not in result.stdout
    assert "Traceback" not in result.stdout
