"""Report files: JUnit XML for CI, self-contained HTML for people."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from leadwire_harness.reports import render_html, write_junit
from leadwire_harness.results import Outcome, Problem, ReplayResult, RunReport


def _report() -> RunReport:
    def result(name, fault, outcome, problems=(), reason=""):
        return ReplayResult(
            name, "Ситуация", "telegram", fault, "summary", outcome, problems, reason
        )

    problem = Problem("crm", "the CRM holds 2 leads", expected="one lead", actual="<2>")
    return RunReport(
        (
            result("booking", "none", Outcome.PASSED),
            result("booking", "crm-503", Outcome.FAILED, (problem,)),
            result("website", "none", Outcome.SKIPPED, reason="no website channel"),
        ),
        started=datetime(2026, 3, 10, tzinfo=UTC),
        seconds=1.5,
        plan="standard",
        configuration="built-in",
    )


def test_junit_has_a_suite_per_fault_and_the_failure_text(tmp_path):
    """Each fault is a suite; a failed case carries the problem and its diff."""
    path = tmp_path / "junit.xml"

    write_junit(_report(), path)

    root = ET.parse(path).getroot()
    suites = {suite.get("name"): suite for suite in root.iter("testsuite")}
    assert set(suites) == {"leadwire replay [none]", "leadwire replay [crm-503]"}
    failure = suites["leadwire replay [crm-503]"].find("testcase/failure")
    assert failure.get("message") == "the CRM holds 2 leads"
    assert "expected: one lead" in failure.text
    assert suites["leadwire replay [none]"].find("testcase/skipped") is not None


def test_html_is_self_contained_and_escapes_text():
    """The HTML has no scripts or outside links and escapes what it shows."""
    html = render_html(_report())

    assert "<script" not in html
    assert "http" not in html.replace("http-equiv", "")
    assert "&lt;2&gt;" in html
    assert "the CRM holds 2 leads" in html
    assert "no website channel" in html
