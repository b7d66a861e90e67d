"""The dialogues the QA guide shows are valid, and pass as the guide says."""

from __future__ import annotations

import io

from docs_support import marked_blocks
from rich.console import Console

from leadwire_harness.console import run_command
from leadwire_harness.loader import parse_dialogue


def test_guide_shows_a_tested_dialogue():
    """The QA guide has at least one dialogue marked as tested."""
    assert marked_blocks("qa.md", "tested dialogue")


def test_shown_dialogues_parse():
    """Each dialogue marked as tested loads without a DialogueError."""
    for index, source in enumerate(marked_blocks("qa.md", "tested dialogue")):
        dialogue = parse_dialogue(source, name=f"qa-example-{index}")

        assert dialogue.turns, "the example has no turns"
        assert dialogue.expect.crm is not None


def test_shown_dialogues_pass_the_standard_fault_plan(tmp_path):
    """Each dialogue marked as tested passes `leadwire replay --faults standard`."""
    paths = []
    for index, source in enumerate(marked_blocks("qa.md", "tested dialogue")):
        path = tmp_path / f"dialogue_example_{index}.yaml"
        path.write_text(source, encoding="utf-8")
        paths.append(path)
    output = io.StringIO()

    code = run_command(
        paths, faults="standard", jobs=1, console=Console(file=output, width=120)
    )

    assert code == 0, output.getvalue()[-3000:]
