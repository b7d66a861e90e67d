"""The dialogue format: parsing, validation errors, the bundled dialogues."""

from __future__ import annotations

import pytest
from harness_samples import BOOKING

from leadwire_harness.dialogue import TurnKind
from leadwire_harness.loader import (
    DialogueError,
    bundled_paths,
    find_dialogues,
    load_dialogue,
    parse_dialogue,
)


def test_booking_dialogue_is_parsed_into_turns_and_expectations():
    """A valid dialogue becomes typed turns, LLM answers and expectations."""
    dialogue = parse_dialogue(BOOKING, name="booking")

    assert dialogue.channel == "telegram"
    assert [turn.kind for turn in dialogue.turns] == [
        TurnKind.TEXT,
        TurnKind.PRESS,
        TurnKind.TEXT,
    ]
    assert dialogue.turns[2].llm[0].service == "Маникюр"
    assert dialogue.expect.crm.lead.phone == "+79215550123"
    assert dialogue.expect.consent.decisions == {"booking": "granted"}
    assert dialogue.persona.values()["persona.phone"] == "+7 921 555-01-23"


@pytest.mark.parametrize(
    ("change", "path", "problem"),
    [
        (("channel: telegram", "channel: viber"), "channel", "expected one of"),
        (
            ("  - press: agree", "  - press: agree\n    text: да"),
            "turns[1]",
            "exactly one",
        ),
        (("  - press: agree", "  - wait: soon"), "turns[1].wait", "duration"),
        (("  - press: agree", "  - repeat: nowhere"), "turns[1]", "no earlier turn"),
        (("reply_count: 3", "reply_count: many"), "expect.reply_count", "whole number"),
        (
            ("[просит согласие,", '["(unclosed",'),
            "expect.replies[0]",
            "regular expression",
        ),
        (
            ("  - press: agree", "  - press: agree\n    colour: red"),
            "turns[1]",
            "colour",
        ),
        (('title: "Тестовая запись в Telegram"\n', ""), "title", "required"),
    ],
)
def test_invalid_dialogues_name_file_path_and_expectation(
    tmp_path, change, path, problem
):
    """Each mistake is reported with the file, the key path and what was expected."""
    broken = BOOKING.replace(*change)
    assert broken != BOOKING
    file = tmp_path / "dialogue_broken.yaml"
    file.write_text(broken, encoding="utf-8")

    with pytest.raises(DialogueError) as caught:
        load_dialogue(file)

    assert caught.value.file == str(file)
    assert caught.value.path == path
    assert problem in caught.value.problem
    assert str(file) in str(caught.value)


def test_yaml_syntax_error_gives_the_line():
    """Broken YAML is reported with its line, not a traceback."""
    with pytest.raises(DialogueError, match=r"x\.yaml: line 2: not valid YAML"):
        parse_dialogue("title: x\nchannel: a: b\n", name="x", file="x.yaml")


def test_bundled_dialogues_are_twenty_and_all_valid():
    """The package ships 20 dialogues, each valid, covering every channel."""
    paths = bundled_paths()
    dialogues = [load_dialogue(path) for path in paths]

    assert len(dialogues) == 20
    assert {dialogue.channel for dialogue in dialogues} == {
        "whatsapp",
        "instagram",
        "telegram",
        "website",
    }
    assert len({dialogue.name for dialogue in dialogues}) == 20


def test_directories_expand_to_their_yaml_files(tmp_path):
    """A directory argument gives its dialogue files, sorted, each once."""
    (tmp_path / "b.yaml").write_text("x", encoding="utf-8")
    (tmp_path / "a.yaml").write_text("x", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")

    found = find_dialogues([tmp_path, tmp_path / "a.yaml"])

    assert [path.name for path in found] == ["a.yaml", "b.yaml"]


def test_missing_path_is_an_error(tmp_path):
    """A path that does not exist is refused by name."""
    with pytest.raises(DialogueError, match="no such file"):
        find_dialogues([tmp_path / "absent.yaml"])


def test_every_mistake_of_a_file_is_reported_at_once(tmp_path):
    """All problems of a file come in one error, in file order, each with its path."""
    broken = (
        BOOKING.replace("channel: telegram", "channel: viber")
        .replace("  - press: agree", "  - wait: soon\n    colour: red")
        .replace("reply_count: 3", "reply_count: many")
        .replace("[просит согласие,", '["(unclosed",')
        .replace("{booking: granted}", "{booking: maybe}")
    )
    file = tmp_path / "dialogue_broken.yaml"
    file.write_text(broken, encoding="utf-8")

    with pytest.raises(DialogueError) as caught:
        load_dialogue(file)

    assert [path for path, _ in caught.value.problems] == [
        "channel",
        "turns[1]",
        "turns[1].wait",
        "expect.replies[0]",
        "expect.reply_count",
        "expect.consent.booking",
    ]
    assert str(caught.value).startswith(f"{file}: 6 problems:\n")
    assert "  - turns[1].wait: expected a duration" in str(caught.value)
    assert (caught.value.path, caught.value.problem) == caught.value.problems[0]


def test_a_turn_with_a_mistake_still_counts_for_references():
    """A repeat of a turn whose own field is wrong reports that field, nothing more."""
    source = BOOKING.replace(
        "  - press: agree",
        "  - id: hello\n    text: Привет\n    after: soon\n  - repeat: hello",
    )

    with pytest.raises(DialogueError) as caught:
        parse_dialogue(source, name="references")

    assert caught.value.problems == (
        (
            "turns[1].after",
            "expected a duration such as 30s, 5m, 25h or 2d, got 'soon'",
        ),
    )


def test_validation_messages_mask_persona_values():
    """A persona value echoed in a validation problem is replaced by its label."""
    source = BOOKING.replace("  - press: agree", "  - media: Ксения")

    with pytest.raises(DialogueError) as caught:
        parse_dialogue(source, name="masked")

    assert caught.value.path == "turns[1].media"
    assert "‹persona.name›" in caught.value.problem
    assert "Ксени" not in str(caught.value)
