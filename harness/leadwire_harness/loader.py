"""Reading dialogue files: YAML in, :class:`~leadwire_harness.dialogue.Dialogue` out.

Every problem is reported with the file, the key path inside it and what was
expected there, so that a QA engineer can fix a dialogue without reading code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

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
from leadwire_harness.privacy import Tracer

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

T = TypeVar("T")


class DialogueError(ValueError):
    """A dialogue file is not valid; :attr:`problems` lists every problem.

    :param file: The file.
    :param path: Where in the file, as a key path (``turns[3].llm.reply``).
    :param problem: What was expected there.
    :param others: Further ``(path, problem)`` pairs of the same file.
    """

    def __init__(
        self,
        file: str,
        path: str,
        problem: str,
        *,
        others: Iterable[tuple[str, str]] = (),
    ) -> None:
        self.file = file
        self.path = path
        self.problem = problem
        self.problems: tuple[tuple[str, str], ...] = ((path, problem), *others)
        if len(self.problems) == 1:
            where = f"{file}: {path}" if path else file
            super().__init__(f"{where}: {problem}")
            return
        lines = "\n".join(
            f"  - {key or '(top level)'}: {text}" for key, text in self.problems
        )
        super().__init__(f"{file}: {len(self.problems)} problems:\n{lines}")

    @classmethod
    def every(
        cls,
        file: str,
        found: Iterable[DialogueError],
        *,
        redact: Callable[[str], str] = str,
    ) -> DialogueError:
        """One error holding every problem of *found*, passed through *redact*."""
        pairs = [
            (redact(path), redact(problem))
            for error in found
            for path, problem in error.problems
        ]
        (path, problem), *others = pairs
        return cls(file, path, problem, others=others)


class _Node:
    """A value of the YAML document with its key path, for error messages.

    Every node of one document shares *found*, the problems noted so far, so
    that a file is reported with all its mistakes at once.
    """

    def __init__(
        self, file: str, path: str, value: Any, found: list[DialogueError]
    ) -> None:
        self.file = file
        self.path = path
        self.value = value
        self.found = found

    def fail(self, problem: str) -> DialogueError:
        return DialogueError(self.file, self.path, problem)

    def note(self, problem: str) -> None:
        """Record *problem* and go on reading."""
        self.found.append(self.fail(problem))

    def attempt(self, parse: Callable[[], T], default: T) -> T:
        """What *parse* gives, or *default* once its problem is recorded."""
        try:
            return parse()
        except DialogueError as error:
            self.found.append(error)
            return default

    def child(self, key: str | int) -> _Node:
        if isinstance(key, int):
            path = f"{self.path}[{key}]"
            return _Node(self.file, path, self.value[key], self.found)
        path = f"{self.path}.{key}" if self.path else key
        return _Node(self.file, path, self.value.get(key), self.found)

    def mapping(self, allowed: Iterable[str] | None = None) -> _Node:
        """This node as a mapping; unknown keys are recorded, not fatal."""
        if not isinstance(self.value, Mapping):
            raise self.fail(f"expected a mapping, got {_kind(self.value)}")
        if allowed is not None:
            unknown = sorted(set(map(str, self.value)) - set(allowed))
            if unknown:
                self.note(
                    ("unknown key " if len(unknown) == 1 else "unknown keys ")
                    + ", ".join(map(repr, unknown))
                    + "; expected one of "
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
        return tuple(item.attempt(item.required_text, "") for item in self.items())

    def read(self, key: str | int, parse: Callable[[_Node], T], default: T) -> T:
        """The child at *key* as *parse* reads it, or *default* on a problem."""
        child = self.child(key)
        return child.attempt(lambda: parse(child), default)

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
    """Validate the YAML text *source* of a dialogue called *name*.

    Every problem of the file is collected and raised at once, each with its
    key path, persona values replaced by labels.
    """
    try:
        data = yaml.safe_load(source)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else ""
        problem = getattr(error, "problem", None) or "not valid YAML"
        raise DialogueError(file, where, f"not valid YAML: {problem}") from None

    found: list[DialogueError] = []
    root = _Node(file, "", data, found).mapping(_TOP_KEYS)
    for key in ("title", "channel", "turns", "expect"):
        if not root.has(key):
            root.child(key).note("required key missing")

    persona = root.read("persona", _persona, Persona())
    crm_auth, seed_leads = root.read("crm", _crm, ("ok", ()))
    dialogue = Dialogue(
        name=root.read("name", _optional_text, None) or name,
        title=_required(root, "title", _Node.required_text, ""),
        channel=_required(root, "channel", _channel, ""),
        persona=persona,
        turns=_required(root, "turns", _turns, ()),
        expect=_required(root, "expect", _expectation, Expectation()),
        start=root.read("start", _start, None),
        crm_auth=crm_auth,
        seed_leads=seed_leads,
        tags=root.read("tags", _Node.texts, ()),
        path=path,
    )
    if found:
        found.sort(key=_file_order(data))
        raise DialogueError.every(file, found, redact=Tracer(persona).redact)
    return dialogue


def _file_order(data: Any) -> Callable[[DialogueError], tuple[int, ...]]:
    """Sort key putting problems in the order their key paths have in the file."""

    def position(error: DialogueError) -> tuple[int, ...]:
        place, value = [], data
        for segment in re.findall(r"[^.\[\]]+|\[\d+\]", error.path):
            if segment.startswith("["):
                index = int(segment[1:-1])
                place.append(index)
                value = value[index] if isinstance(value, list) else None
                continue
            keys = [str(key) for key in value] if isinstance(value, Mapping) else []
            place.append(keys.index(segment) if segment in keys else len(keys))
            value = value.get(segment) if isinstance(value, Mapping) else None
        return tuple(place)

    return position


def _required(root: _Node, key: str, parse: Callable[[_Node], T], default: T) -> T:
    """A required key, read when present (its absence is already noted)."""
    return root.read(key, parse, default) if root.has(key) else default


def _optional_text(node: _Node) -> str | None:
    return node.text(optional=True)


def _channel(node: _Node) -> str:
    return node.choice(CHANNELS)


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
    known = {key: node.read(key, _optional_text, None) for key in fields}
    secrets = {}
    for key in map(str, node.value):
        if key not in fields:
            secrets[key] = node.read(key, _Node.required_text, "")
    return Persona(**known, secrets=secrets)


def _crm(node: _Node) -> tuple[str, tuple[SeedLead, ...]]:
    if node.value is None:
        return "ok", ()
    node.mapping({"auth", "leads"})
    auth = "ok"
    if node.has("auth"):
        auth = node.read("auth", lambda auth: auth.choice(_AUTH), "ok")
    leads: tuple[SeedLead, ...] = ()
    if node.has("leads"):
        leads = node.read("leads", _seed_leads, ())
    return auth, leads


_AUTH = ("ok", "rejected", "expired")


def _seed_leads(node: _Node) -> tuple[SeedLead, ...]:
    return tuple(item.attempt(partial(_seed_lead, item), None) for item in node.items())


def _seed_lead(node: _Node) -> SeedLead:
    node.mapping({"name", "phone", "title", "ago"})
    age = 30 * 86400.0
    if node.child("ago").value is not None:
        age = node.read("ago", _Node.duration, age)
    return SeedLead(
        name=node.read("name", _Node.required_text, ""),
        phone=node.read("phone", _Node.required_text, ""),
        title=node.read("title", _optional_text, None) or "Заявка",
        age=age,
    )


# --------------------------------------------------------------------------
# Turns

_TURN_KEYS = {kind.value for kind in TurnKind} | {"id", "after", "llm", "caption"}
_TURN_KEYS |= {"delayed"}


def _turns(node: _Node) -> tuple[Turn, ...]:
    turns = tuple(
        item.attempt(partial(_turn, item, index), None)
        for index, item in enumerate(node.items())
    )
    if not turns:
        raise node.fail("expected at least one turn")
    _check_references(node)
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
    fields = node.read(kind.value, lambda value: _turn_fields(kind, value, node), {})

    if node.has("after"):
        if kind is TurnKind.WAIT:
            node.child("after").note("a wait turn gives its duration as wait:")
        else:
            fields["after"] = node.read("after", _Node.duration, 30.0)
    if node.has("delayed"):
        fields["delayed"] = node.read("delayed", _Node.duration, 0.0)
    if node.has("caption") and kind is not TurnKind.MEDIA:
        node.child("caption").note("only a media turn has a caption")
    return Turn(
        index=index,
        kind=kind,
        id=node.read("id", _optional_text, None),
        llm=node.read("llm", _answers, ()),
        **fields,
    )


def _turn_fields(kind: TurnKind, value: _Node, turn: _Node) -> dict[str, Any]:
    """The fields of a turn of *kind*, read from its *value*."""
    if kind in (TurnKind.TEXT, TurnKind.PRESS):
        return {kind.value: value.required_text()}
    if kind is TurnKind.CONTACT:
        value.mapping({"name", "phone"})
        return {
            "contact": {
                key: value.read(key, _Node.required_text, "")
                for key in ("name", "phone")
            }
        }
    if kind is TurnKind.MEDIA:
        return {
            "media": value.choice(_MEDIA),
            "text": turn.read("caption", _optional_text, None),
        }
    if kind is TurnKind.EDIT:
        value.mapping({"turn", "text"})
        return {
            "target": value.read("turn", _Node.required_text, ""),
            "text": value.read("text", _Node.required_text, ""),
        }
    if kind is TurnKind.REACTION:
        return {"emoji": value.text(optional=True) or ""}
    if kind is TurnKind.STATUS:
        return {"status": value.choice(_STATUSES)}
    if kind is TurnKind.REPEAT:
        return {"target": value.required_text()}
    if kind is TurnKind.WAIT:
        return {"after": value.duration()}
    return _form(value)


def _form(node: _Node) -> dict[str, Any]:
    node.mapping({"name", "phone", "email", "text", "consent"})
    consent = node.child("consent").value
    if consent is not None and not isinstance(consent, bool):
        node.child("consent").note("expected true (ticked) or false")
    contact = {
        key: node.read(key, _Node.required_text, "")
        for key in ("name", "phone", "email")
        if node.has(key)
    }
    return {
        "contact": contact,
        "text": node.read("text", _optional_text, None),
        "consent": consent,
    }


def _answers(node: _Node) -> tuple[LlmAnswer, ...]:
    if node.value is None:
        return ()
    if isinstance(node.value, Mapping):
        return (_answer(node),)
    return tuple(
        item.attempt(partial(_answer, item), LlmAnswer()) for item in node.items()
    )


def _answer(node: _Node) -> LlmAnswer:
    keys = {"reply", "service", "desired_time", "comment", "garbage"}
    node.mapping(keys)
    if node.has("garbage"):
        if len(node.value) > 1:
            raise node.fail("a garbage answer has no other keys")
        return LlmAnswer(garbage=node.read("garbage", _optional_text, None) or "")
    if not node.has("reply"):
        raise node.fail("expected reply: (the text), or garbage: (a broken answer)")
    return LlmAnswer(
        reply=node.read("reply", _Node.required_text, ""),
        service=node.read("service", _optional_text, None),
        desired_time=node.read("desired_time", _optional_text, None),
        comment=node.read("comment", _optional_text, None),
    )


def _check_references(node: _Node) -> None:
    """Edits and repeats must name an earlier turn; ids must be unique.

    Read from the document itself, so that a turn with another mistake still
    counts with its id and no reference to it is reported as dangling.
    """
    seen: set[str] = set()
    for index, raw in enumerate(node.value):
        if not isinstance(raw, Mapping):
            continue
        turn = node.child(index)
        target = raw.get("repeat")
        if isinstance(raw.get("edit"), Mapping):
            target = raw["edit"].get("turn")
        if target not in (None, "") and str(target) not in seen:
            turn.note(f"refers to turn id {str(target)!r}, which no earlier turn has")
        turn_id = raw.get("id")
        if turn_id is not None:
            if str(turn_id) in seen:
                turn.child("id").note(f"id {str(turn_id)!r} repeats")
            seen.add(str(turn_id))


# --------------------------------------------------------------------------
# Expectations

_EXPECT_KEYS = {"replies", "forbidden_replies", "reply_count", "crm", "consent"}
_EXPECT_KEYS |= {"audit"}


def _expectation(node: _Node) -> Expectation:
    node.mapping(_EXPECT_KEYS)
    count = node.child("reply_count").value
    if count is not None and (
        isinstance(count, bool) or not isinstance(count, int) or count < 0
    ):
        node.child("reply_count").note("expected a whole number, 0 or more")
    crm = node.read("crm", _crm_expectation, None) if node.has("crm") else None
    consent = node.read("consent", _consent, None) if node.has("consent") else None
    return Expectation(
        reply_count=count,
        replies=node.read("replies", _patterns, ()),
        forbidden_replies=node.read("forbidden_replies", _patterns, ()),
        crm=crm,
        consent=consent,
        audit=node.read("audit", _audit, AuditExpectation()),
    )


def _patterns(node: _Node) -> tuple[str, ...]:
    """A text or a list of texts, each a valid regular expression."""
    if node.value is None:
        return ()
    items = [node] if isinstance(node.value, str) else list(node.items())
    return tuple(item.attempt(partial(_pattern, item), "") for item in items)


def _pattern(node: _Node) -> str:
    text = node.required_text()
    try:
        re.compile(text)
    except re.error as error:
        raise node.fail(f"not a valid regular expression: {error}") from None
    return text


def _crm_expectation(node: _Node) -> CrmExpectation:
    if node.value == "none":
        return CrmExpectation(lead=None)
    node.mapping({"lead"})
    lead = node.child("lead").mapping({"name", "phone", "email", "mentions", "seeded"})
    seeded = lead.child("seeded").value
    if seeded is not None and not isinstance(seeded, bool):
        lead.child("seeded").note("expected true or false")
    return CrmExpectation(
        lead=LeadExpectation(
            name=lead.read("name", _optional_text, None),
            phone=lead.read("phone", _optional_text, None),
            email=lead.read("email", _optional_text, None),
            mentions=lead.read("mentions", _patterns, ()),
            seeded=bool(seeded),
        )
    )


def _consent(node: _Node) -> ConsentExpectation:
    node.mapping(_PURPOSES)
    return ConsentExpectation(
        {
            purpose: node.read(purpose, lambda value: value.choice(_DECISIONS), "")
            for purpose in _PURPOSES
            if node.has(purpose)
        }
    )


def _audit(node: _Node) -> AuditExpectation:
    if node.value is None:
        return AuditExpectation()
    if isinstance(node.value, list):
        return AuditExpectation(present=node.texts())
    node.mapping({"present", "absent"})
    return AuditExpectation(
        present=node.read("present", _Node.texts, ()),
        absent=node.read("absent", _Node.texts, ()),
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
