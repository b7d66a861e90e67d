"""Reading dialogue files: YAML in, :class:`~leadwire_harness.dialogue.Dialogue` out.

Every problem is reported with the file, the key path inside it and what was
expected there, so that a QA engineer can fix a dialogue without reading code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from leadwire_harness.dialogue import (
    AuditExpectation,
    ConsentExpectation,
    CrmExpectation,
    Dialogue,
    Expectation,
    LeadExpectation,
    LlmAnswer,
    Persona,
    SeedLead,
    Turn,
    TurnKind,
)

__all__ = [
    "CHANNELS",
    "DialogueError",
    "bundled_paths",
    "find_dialogues",
    "load_dialogue",
    "parse_dialogue",
]

#: The channel kinds a dialogue can be written for.
CHANNELS = ("whatsapp", "instagram", "telegram", "website")

_MEDIA = ("image", "voice", "audio", "video", "document", "sticker")
_STATUSES = ("sent", "delivered", "read", "failed")
_DECISIONS = ("granted", "refused", "withdrawn", "none")
_PURPOSES = ("booking", "marketing")
_DURATION = re.compile(r"(?P<number>\d+(?:\.\d+)?)\s*(?P<unit>ms|s|m|h|d)")
_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}
_TOP_KEYS = {"title", "channel", "persona", "turns", "expect", "start", "crm"}
_TOP_KEYS |= {"tags", "name"}


class DialogueError(ValueError):
    """A dialogue file is not valid.

    :param file: The file.
    :param path: Where in the file, as a key path (``turns[3].llm.reply``).
    :param problem: What was expected there.
    """

    def __init__(self, file: str, path: str, problem: str) -> None:
        self.file = file
        self.path = path
        self.problem = problem
        where = f"{file}: {path}" if path else file
        super().__init__(f"{where}: {problem}")


class _Node:
    """A value of the YAML document with its key path, for error messages."""

    def __init__(self, file: str, path: str, value: Any) -> None:
        self.file = file
        self.path = path
        self.value = value

    def fail(self, problem: str) -> DialogueError:
        return DialogueError(self.file, self.path, problem)

    def child(self, key: str | int) -> _Node:
        if isinstance(key, int):
            return _Node(self.file, f"{self.path}[{key}]", self.value[key])
        path = f"{self.path}.{key}" if self.path else key
        return _Node(self.file, path, self.value.get(key))

    def mapping(self, allowed: Iterable[str] | None = None) -> _Node:
        if not isinstance(self.value, Mapping):
            raise self.fail(f"expected a mapping, got {_kind(self.value)}")
        if allowed is not None:
            unknown = sorted(set(map(str, self.value)) - set(allowed))
            if unknown:
                raise self.fail(
                    f"unknown key {unknown[0]!r}; expected one of "
                    + ", ".join(sorted(allowed))
                )
        return self

    def items(self) -> Iterator[_Node]:
        if not isinstance(self.value, list):
            raise self.fail(f"expected a list, got {_kind(self.value)}")
        for index in range(len(self.value)):
            yield self.child(index)

    def has(self, key: str) -> bool:
        return key in self.value

    def text(self, *, optional: bool = False) -> str | None:
        if self.value is None and optional:
            return None
        if isinstance(self.value, bool) or not isinstance(
            self.value, str | int | float
        ):
            raise self.fail(f"expected a text, got {_kind(self.value)}")
        return str(self.value)

    def required_text(self) -> str:
        value = self.text()
        assert value is not None
        if not value.strip():
            raise self.fail("expected a non-empty text")
        return value

    def choice(self, choices: Iterable[str]) -> str:
        choices = tuple(choices)
        value = self.text()
        if value not in choices:
            raise self.fail(f"expected one of {', '.join(choices)}, got {value!r}")
        return value

    def texts(self) -> tuple[str, ...]:
        if self.value is None:
            return ()
        if isinstance(self.value, str):
            return (self.value,)
        return tuple(item.required_text() for item in self.items())

    def duration(self) -> float:
        """Seconds, from a number or a text such as ``90s``, ``25h``, ``1d 2h``."""
        if isinstance(self.value, int | float) and not isinstance(self.value, bool):
            seconds = float(self.value)
        elif isinstance(self.value, str) and _valid_duration(self.value):
            seconds = sum(
                float(match["number"]) * _UNITS[match["unit"]]
                for match in _DURATION.finditer(self.value)
            )
        else:
            raise self.fail(
                f"expected a duration such as 30s, 5m, 25h or 2d, got {self.value!r}"
            )
        if seconds < 0:
            raise self.fail("a duration cannot be negative")
        return seconds


def _valid_duration(text: str) -> bool:
    return bool(text.strip()) and not _DURATION.sub("", text).strip()


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    return {
        dict: "a mapping",
        list: "a list",
        str: "a text",
        bool: "true/false",
        int: "a number",
        float: "a number",
    }.get(type(value), type(value).__name__)


# --------------------------------------------------------------------------
# Loading


def load_dialogue(path: str | Path) -> Dialogue:
    """Read and validate the dialogue file at *path*."""
    path = Path(path)
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DialogueError(str(path), "", f"cannot be read: {error}") from None
    return parse_dialogue(source, name=_stem(path), file=str(path), path=path)


def parse_dialogue(
    source: str, *, name: str, file: str = "<dialogue>", path: Path | None = None
) -> Dialogue:
    """Validate the YAML text *source* of a dialogue called *name*."""
    try:
        data = yaml.safe_load(source)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else ""
        problem = getattr(error, "problem", None) or "not valid YAML"
        raise DialogueError(file, where, f"not valid YAML: {problem}") from None

    root = _Node(file, "", data).mapping(_TOP_KEYS)
    for key in ("title", "channel", "turns", "expect"):
        if not root.has(key):
            raise DialogueError(file, key, "required key missing")

    turns = _turns(root.child("turns"))
    crm_auth, seed_leads = _crm(root.child("crm"))
    dialogue = Dialogue(
        name=root.child("name").text(optional=True) or name,
        title=root.child("title").required_text(),
        channel=root.child("channel").choice(CHANNELS),
        persona=_persona(root.child("persona")),
        turns=turns,
        expect=_expectation(root.child("expect")),
        start=_start(root.child("start")),
        crm_auth=crm_auth,
        seed_leads=seed_leads,
        tags=root.child("tags").texts(),
        path=path,
    )
    _check_references(dialogue, file)
    return dialogue


def _stem(path: Path) -> str:
    name = path.name
    for suffix in (".dialogue.yaml", ".dialogue.yml", ".yaml", ".yml"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def _start(node: _Node) -> datetime | None:
    if node.value is None:
        return None
    if isinstance(node.value, datetime):
        moment = node.value
    else:
        try:
            moment = datetime.fromisoformat(node.required_text())
        except ValueError:
            raise node.fail(
                "expected a date and time such as 2026-03-10T22:40:00+03:00"
            ) from None
    if moment.tzinfo is None:
        raise node.fail("give the time zone, such as 2026-03-10T22:40:00+03:00")
    return moment


def _persona(node: _Node) -> Persona:
    if node.value is None:
        return Persona()
    node.mapping()
    fields = ("name", "phone", "email", "profile_name", "channel_id")
    known = {key: node.child(key).text(optional=True) for key in fields}
    secrets = {}
    for key in node.value:
        if key not in fields:
            secrets[str(key)] = node.child(str(key)).required_text()
    return Persona(**known, secrets=secrets)


def _crm(node: _Node) -> tuple[str, tuple[SeedLead, ...]]:
    if node.value is None:
        return "ok", ()
    node.mapping({"auth", "leads"})
    auth = "ok"
    if node.has("auth"):
        auth = node.child("auth").choice(("ok", "rejected", "expired"))
    leads = []
    if node.has("leads"):
        for item in node.child("leads").items():
            item.mapping({"name", "phone", "title", "ago"})
            ago = item.child("ago")
            leads.append(
                SeedLead(
                    name=item.child("name").required_text(),
                    phone=item.child("phone").required_text(),
                    title=item.child("title").text(optional=True) or "Заявка",
                    age=ago.duration() if ago.value is not None else 30 * 86400.0,
                )
            )
    return auth, tuple(leads)


# --------------------------------------------------------------------------
# Turns

_TURN_KEYS = {kind.value for kind in TurnKind} | {"id", "after", "llm", "caption"}
_TURN_KEYS |= {"delayed"}


def _turns(node: _Node) -> tuple[Turn, ...]:
    turns = tuple(_turn(item, index) for index, item in enumerate(node.items()))
    if not turns:
        raise node.fail("expected at least one turn")
    return turns


def _turn(node: _Node, index: int) -> Turn:
    node.mapping(_TURN_KEYS)
    kinds = [kind for kind in TurnKind if node.has(kind.value)]
    if len(kinds) != 1:
        raise node.fail(
            "expected exactly one of "
            + ", ".join(kind.value for kind in TurnKind)
            + (f"; found {', '.join(kind.value for kind in kinds)}" if kinds else "")
        )
    kind = kinds[0]
    value = node.child(kind.value)
    fields: dict[str, Any] = {}

    if kind is TurnKind.TEXT:
        fields["text"] = value.required_text()
    elif kind is TurnKind.PRESS:
        fields["press"] = value.required_text()
    elif kind is TurnKind.CONTACT:
        value.mapping({"name", "phone"})
        fields["contact"] = {
            key: value.child(key).required_text() for key in ("name", "phone")
        }
    elif kind is TurnKind.MEDIA:
        fields["media"] = value.choice(_MEDIA)
        fields["text"] = node.child("caption").text(optional=True)
    elif kind is TurnKind.EDIT:
        value.mapping({"turn", "text"})
        fields["target"] = value.child("turn").required_text()
        fields["text"] = value.child("text").required_text()
    elif kind is TurnKind.REACTION:
        fields["emoji"] = value.text(optional=True) or ""
    elif kind is TurnKind.STATUS:
        fields["status"] = value.choice(_STATUSES)
    elif kind is TurnKind.REPEAT:
        fields["target"] = value.required_text()
    elif kind is TurnKind.WAIT:
        fields["after"] = value.duration()
    elif kind is TurnKind.FORM:
        fields.update(_form(value))

    if node.has("after"):
        if kind is TurnKind.WAIT:
            raise node.child("after").fail("a wait turn gives its duration as wait:")
        fields["after"] = node.child("after").duration()
    if node.has("delayed"):
        fields["delayed"] = node.child("delayed").duration()
    if node.has("caption") and kind is not TurnKind.MEDIA:
        raise node.child("caption").fail("only a media turn has a caption")
    return Turn(
        index=index,
        kind=kind,
        id=node.child("id").text(optional=True),
        llm=_answers(node.child("llm")),
        **fields,
    )


def _form(node: _Node) -> dict[str, Any]:
    node.mapping({"name", "phone", "email", "text", "consent"})
    consent = node.child("consent").value
    if consent is not None and not isinstance(consent, bool):
        raise node.child("consent").fail("expected true (ticked) or false")
    contact = {
        key: node.child(key).required_text()
        for key in ("name", "phone", "email")
        if node.has(key)
    }
    return {
        "contact": contact,
        "text": node.child("text").text(optional=True),
        "consent": consent,
    }


def _answers(node: _Node) -> tuple[LlmAnswer, ...]:
    if node.value is None:
        return ()
    if isinstance(node.value, Mapping):
        return (_answer(node),)
    return tuple(_answer(item) for item in node.items())


def _answer(node: _Node) -> LlmAnswer:
    keys = {"reply", "service", "desired_time", "comment", "garbage"}
    node.mapping(keys)
    if node.has("garbage"):
        if len(node.value) > 1:
            raise node.fail("a garbage answer has no other keys")
        return LlmAnswer(garbage=node.child("garbage").text() or "")
    if not node.has("reply"):
        raise node.fail("expected reply: (the text), or garbage: (a broken answer)")
    return LlmAnswer(
        reply=node.child("reply").required_text(),
        service=node.child("service").text(optional=True),
        desired_time=node.child("desired_time").text(optional=True),
        comment=node.child("comment").text(optional=True),
    )


def _check_references(dialogue: Dialogue, file: str) -> None:
    """Edits and repeats must name an earlier turn; ids must be unique."""
    seen: set[str] = set()
    for turn in dialogue.turns:
        where = f"turns[{turn.index}]"
        if turn.target is not None and turn.target not in seen:
            raise DialogueError(
                file,
                where,
                f"refers to turn id {turn.target!r}, which no earlier turn has",
            )
        if turn.id is not None:
            if turn.id in seen:
                raise DialogueError(file, f"{where}.id", f"id {turn.id!r} repeats")
            seen.add(turn.id)


# --------------------------------------------------------------------------
# Expectations


def _expectation(node: _Node) -> Expectation:
    node.mapping(
        {"replies", "forbidden_replies", "reply_count", "crm", "consent", "audit"}
    )
    count = node.child("reply_count").value
    if count is not None and (not isinstance(count, int) or count < 0):
        raise node.child("reply_count").fail("expected a whole number, 0 or more")
    return Expectation(
        reply_count=count,
        replies=_patterns(node.child("replies")),
        forbidden_replies=_patterns(node.child("forbidden_replies")),
        crm=_crm_expectation(node.child("crm")) if node.has("crm") else None,
        consent=_consent(node.child("consent")) if node.has("consent") else None,
        audit=_audit(node.child("audit")),
    )


def _patterns(node: _Node) -> tuple[str, ...]:
    """A text or a list of texts, each a valid regular expression."""
    if node.value is None:
        return ()
    items = [node] if isinstance(node.value, str) else list(node.items())
    for item in items:
        try:
            re.compile(item.required_text())
        except re.error as error:
            raise item.fail(f"not a valid regular expression: {error}") from None
    return node.texts()


def _crm_expectation(node: _Node) -> CrmExpectation:
    if node.value == "none":
        return CrmExpectation(lead=None)
    node.mapping({"lead"})
    lead = node.child("lead").mapping({"name", "phone", "email", "mentions", "seeded"})
    seeded = lead.child("seeded").value
    if seeded is not None and not isinstance(seeded, bool):
        raise lead.child("seeded").fail("expected true or false")
    return CrmExpectation(
        lead=LeadExpectation(
            name=lead.child("name").text(optional=True),
            phone=lead.child("phone").text(optional=True),
            email=lead.child("email").text(optional=True),
            mentions=_patterns(lead.child("mentions")),
            seeded=bool(seeded),
        )
    )


def _consent(node: _Node) -> ConsentExpectation:
    node.mapping(_PURPOSES)
    return ConsentExpectation(
        {str(key): node.child(str(key)).choice(_DECISIONS) for key in node.value}
    )


def _audit(node: _Node) -> AuditExpectation:
    if node.value is None:
        return AuditExpectation()
    if isinstance(node.value, list):
        return AuditExpectation(present=node.texts())
    node.mapping({"present", "absent"})
    return AuditExpectation(
        present=node.child("present").texts(), absent=node.child("absent").texts()
    )


# --------------------------------------------------------------------------
# Finding files

#: File names the pytest plugin and ``leadwire replay DIR`` pick up.
PATTERNS = ("dialogue_*.yaml", "*.dialogue.yaml")


def bundled_paths() -> list[Path]:
    """The dialogues that ship with leadwire, sorted by name."""
    folder = resources.files("leadwire_harness") / "dialogues"
    return sorted(
        Path(str(entry)) for entry in folder.iterdir() if entry.name.endswith(".yaml")
    )


def find_dialogues(paths: Iterable[str | Path]) -> list[Path]:
    """Expand files and directories into dialogue files, sorted, each once.

    A directory contributes every ``*.yaml`` file in it (not recursively).
    """
    found: dict[Path, None] = {}
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.glob("*.yaml")):
                found[child] = None
        elif path.is_file():
            found[path] = None
        else:
            raise DialogueError(str(path), "", "no such file or directory")
    return list(found)
