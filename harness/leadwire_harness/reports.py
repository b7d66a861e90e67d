"""Report files of a replay run: JUnit XML for CI, HTML for people.

The HTML report is one self-contained file (styles inline, no scripts, no
outside links) that a QA engineer can send to a client; like every report it
is built from redacted results and holds no persona values.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import jinja2

from leadwire_harness.results import Outcome, ReplayResult, RunReport

__all__ = ["failure_text", "render_html", "write_html", "write_junit"]


def failure_text(result: ReplayResult) -> str:
    lines = []
    for problem in result.problems:
        lines.append(f"[{problem.check}] {problem.message}")
        if problem.expected:
            lines.append(f"  expected: {problem.expected}")
        if problem.actual:
            lines.append(f"  actual:   {problem.actual}")
    return "\n".join(lines)


def write_junit(report: RunReport, path: Path) -> None:
    """Write *report* as JUnit XML: a suite per fault, a case per dialogue."""
    from junitparser import (  # imported here: only this report needs it
        Error,
        Failure,
        JUnitXml,
        Skipped,
        TestCase,
        TestSuite,
    )

    suites: dict[str, TestSuite] = {}
    for result in report.results:
        suite = suites.get(result.fault)
        if suite is None:
            suite = suites[result.fault] = TestSuite(
                f"leadwire replay [{result.fault}]"
            )
        case = TestCase(result.dialogue, classname=f"leadwire.replay.{result.channel}")
        case.time = round(result.seconds, 3)
        if result.outcome is Outcome.FAILED:
            failure = Failure(result.problems[0].message if result.problems else "")
            failure.text = failure_text(result)
            case.result = [failure]
        elif result.outcome is Outcome.ERROR:
            error = Error(result.reason)
            error.text = failure_text(result) or result.reason
            case.result = [error]
        elif result.outcome is Outcome.SKIPPED:
            case.result = [Skipped(result.reason)]
        suite.add_testcase(case)

    xml = JUnitXml("leadwire replay")
    for suite in suites.values():
        suite.update_statistics()
        xml.add_testsuite(suite)
    xml.update_statistics()
    path.parent.mkdir(parents=True, exist_ok=True)
    xml.write(str(path), pretty=True)


def render_html(report: RunReport) -> str:
    """The HTML report as text."""
    template_text = (
        resources.files("leadwire_harness")
        .joinpath("templates/report.html.j2")
        .read_text(encoding="utf-8")
    )
    environment = jinja2.Environment(
        autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True
    )
    template = environment.from_string(template_text)
    return template.render(report=report, groups=report.by_dialogue())


def write_html(report: RunReport, path: Path) -> None:
    """Write the HTML report of *report* to *path*."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(report), encoding="utf-8")
