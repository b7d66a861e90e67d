"""The checks a replay must pass, turning an :class:`Observation` into problems.

Every dialogue is checked for its own expected outcome and for what must hold
in any conversation: the audit log complete and its chain intact, no persona
value in an LLM request, a log record or the audit log, nothing sent to the
CRM before consent. A replay under a fault is also compared with the
fault-free one: nothing lost, nothing doubled.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from leadwire_harness.dialogue import LeadExpectation
from leadwire_harness.privacy import Tracer
from leadwire_harness.results import Problem
from leadwire_harness.runner import Observation

__all__ = ["check", "compare", "crm_leads", "crm_notes", "final_state"]

#: CRM calls that store or change personal data.
CRM_WRITES = re.compile(
    r"crm\.(lead|contact|deal)\.(add|update)|crm\.timeline\.comment\.add"
)
_SHOWN = 3  # how many items of a long list a message shows


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check(observation: Observation) -> list[Problem]:
    """Every problem of one replay, redacted."""
    dialogue = observation.dialogue
    tracer = Tracer(dialogue.persona)
    problems: list[Problem] = []

    if observation.engine_error:
        problems.append(
            Problem(
                "engine",
                "the replay stopped: " + tracer.redact(observation.engine_error),
            )
        )
    problems += _delivery(observation, tracer)
    problems += _replies(observation, tracer)
    problems += _crm(observation, tracer)
    problems += _consent(observation)
    problems += _audit(observation)
    problems += _privacy(observation, tracer)
    problems += _before_consent(observation)
    return problems


# --------------------------------------------------------------------------
# The delivery itself


def _delivery(observation: Observation, tracer: Tracer) -> list[Problem]:
    problems = [
        Problem("delivery", tracer.redact(error))
        for error in observation.delivery_errors
    ]
    for label, status in observation.webhook_answers:
        if status != 200:
            problems.append(
                Problem(
                    "webhook",
                    f"{label}: the engine answered the provider's webhook with "
                    f"HTTP {status}; the provider would deliver it again and again",
                    expected="200",
                    actual=str(status),
                )
            )
    for where in observation.unmocked:
        problems.append(
            Problem(
                "unmocked",
                f"a request went to a host no mock answers ({where}); the replay "
                "refused it. Does the configuration name a provider the harness "
                "cannot mock?",
            )
        )
    if observation.pending:
        problems.append(
            Problem(
                "engine",
                f"{observation.pending} inbox event(s) still pending after the "
                "replay settled: processing is stuck or was lost",
            )
        )
    return problems


# --------------------------------------------------------------------------
# Expected outcome


def _replies(observation: Observation, tracer: Tracer) -> list[Problem]:
    expect = observation.dialogue.expect
    texts = [message.text for message in observation.sent]
    problems = []

    position = 0
    for pattern in expect.replies:
        regex = re.compile(pattern, re.IGNORECASE)
        found = next(
            (i for i in range(position, len(texts)) if regex.search(texts[i])), None
        )
        if found is None:
            problems.append(
                Problem(
                    "replies",
                    f"no reply matching /{pattern}/ after the ones matched before it",
                    expected=f"a reply matching /{pattern}/",
                    actual=_listing(tracer.redact(text) for text in texts[position:])
                    or "no further replies",
                )
            )
            continue
        position = found + 1

    if expect.reply_count is not None and len(texts) != expect.reply_count:
        problems.append(
            Problem(
                "replies",
                f"{len(texts)} message(s) reached the client; "
                f"{expect.reply_count} expected",
                expected=str(expect.reply_count),
                actual=_listing(tracer.redact(text) for text in texts),
            )
        )

    for pattern in expect.forbidden_replies:
        regex = re.compile(pattern, re.IGNORECASE)
        for text in texts:
            if regex.search(text):
                problems.append(
                    Problem(
                        "replies",
                        f"a reply matches /{pattern}/, which must never be sent",
                        expected=f"no reply matching /{pattern}/",
                        actual=_short(tracer.redact(text)),
                    )
                )
    return problems


def _listing(texts: Iterable[str]) -> str:
    return " | ".join(_short(text, 120) for text in texts)


def lead_view(lead: dict[str, Any]) -> dict[str, Any]:
    """A CRM lead reduced to what a check compares: no ids, no timestamps."""
    multi = {
        key: sorted(str(item.get("VALUE", "")) for item in lead.get(key, []))
        for key in ("PHONE", "EMAIL")
    }
    plain = {
        key: value
        for key, value in lead.items()
        if key not in ("ID", "DATE_CREATE", "DATE_MODIFY", "PHONE", "EMAIL", "IM")
    }
    return {**plain, **multi}


def _crm(observation: Observation, tracer: Tracer) -> list[Problem]:
    expect = observation.dialogue.expect.crm
    if expect is None:
        return []
    leads = crm_leads(observation)
    shown = _short(tracer.redact(repr(leads)), 600)

    if expect.lead is None:
        if leads:
            return [
                Problem(
                    "crm",
                    f"the CRM holds {len(leads)} lead(s); this dialogue must "
                    "leave none",
                    expected="no lead",
                    actual=shown,
                )
            ]
        return []

    if len(leads) != 1:
        return [
            Problem(
                "crm",
                f"the CRM holds {len(leads)} leads; exactly one was expected "
                "(a second one means a duplicate, none means the lead was lost)",
                expected="one lead",
                actual=shown,
            )
        ]
    return _lead(expect.lead, leads[0], observation, tracer)


def crm_leads(observation: Observation) -> list[dict[str, Any]]:
    """The leads of the replay's CRM: the mocked portal's or the local CRM's."""
    if observation.crm_mocked:
        return [lead_view(lead) for lead in observation.leads]
    return [_local_view(row) for row in observation.local_leads]


def crm_notes(observation: Observation) -> list[str]:
    """The notes the replay's CRM keeps on its leads."""
    if observation.crm_mocked:
        return [str(c.get("COMMENT", "")) for c in observation.comments]
    return list(observation.local_notes)


def _local_view(row: dict[str, Any]) -> dict[str, Any]:
    """A ``local_leads`` row in the shape :func:`lead_view` gives a portal lead."""
    return {
        "NAME": row.get("name") or "",
        "PHONE": [row["phone"]] if row.get("phone") else [],
        "EMAIL": [row["email"]] if row.get("email") else [],
        "TITLE": row.get("title") or "",
        "COMMENTS": "\n".join(
            str(row.get(key) or "") for key in ("service", "desired_time", "comment")
        ),
    }


def _lead(
    expect: LeadExpectation,
    lead: dict[str, Any],
    observation: Observation,
    tracer: Tracer,
) -> list[Problem]:
    problems = []

    def differ(what: str, wanted: str, actual: Any) -> None:
        problems.append(
            Problem(
                "crm",
                f"the lead's {what} is not as expected",
                expected=tracer.redact(wanted),
                actual=_short(tracer.redact(str(actual))),
            )
        )

    name = str(lead.get("NAME") or "")
    if expect.name is not None and name.casefold() != expect.name.casefold():
        # Both sides redact to the same label: say how they differ in shape.
        differ(
            f"NAME ({len(name.split())} word(s) where "
            f"{len(expect.name.split())} were expected)",
            expect.name,
            name,
        )
    phones = {_digits(phone) for phone in lead.get("PHONE", [])}
    if expect.phone is not None and _digits(expect.phone) not in phones:
        differ("PHONE", expect.phone, lead.get("PHONE"))
    if expect.email is not None and expect.email.lower() not in [
        value.lower() for value in lead.get("EMAIL", [])
    ]:
        differ("EMAIL", expect.email, lead.get("EMAIL"))

    everything = " ".join(str(value) for value in lead.values())
    everything += " " + " ".join(crm_notes(observation))
    for pattern in expect.mentions:
        if not re.search(pattern, everything, re.IGNORECASE):
            differ(f"text (no field matches /{pattern}/)", pattern, everything)

    if expect.seeded and not any(
        str(lead.get("TITLE", "")) == seed.title
        for seed in observation.dialogue.seed_leads
    ):
        differ(
            "origin (a new lead was made; the seeded one should be updated)",
            "the seeded lead",
            lead.get("TITLE"),
        )
    return problems


def _digits(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    return "7" + digits[1:] if len(digits) == 11 and digits[0] == "8" else digits


def _consent(observation: Observation) -> list[Problem]:
    expect = observation.dialogue.expect.consent
    if expect is None:
        return []
    latest: dict[str, str] = {}
    for record in observation.consent:
        latest[record["purpose"]] = record["decision"]
    problems = []
    for purpose, wanted in expect.decisions.items():
        actual = latest.get(purpose, "none")
        if actual != wanted:
            problems.append(
                Problem(
                    "consent",
                    f"the consent ledger's latest {purpose} decision is {actual}",
                    expected=wanted,
                    actual=actual,
                )
            )
    return problems


# --------------------------------------------------------------------------
# The audit log


def _audit(observation: Observation) -> list[Problem]:
    problems = [
        Problem("audit-chain", f"the audit log's chain is broken: {problem}")
        for problem in observation.audit_problems
    ]
    actions = Counter(entry["action"] for entry in observation.audit)
    expect = observation.dialogue.expect.audit
    for action in expect.present:
        if not actions[action]:
            problems.append(
                Problem(
                    "audit",
                    f"no audit entry {action!r}",
                    expected=action,
                    actual=", ".join(sorted(actions)) or "an empty audit log",
                )
            )
    for action in expect.absent:
        if actions[action]:
            problems.append(
                Problem(
                    "audit",
                    f"an audit entry {action!r} is there; this dialogue must "
                    "not make one",
                    expected=f"no {action}",
                    actual=f"{actions[action]} x {action}",
                )
            )
    return problems + _audit_complete(observation, actions)


def _audit_complete(observation: Observation, actions: Counter[str]) -> list[Problem]:
    """Every action on personal data that a provider saw has its audit entry."""
    problems = []

    def missing(action: str, fact: str) -> None:
        problems.append(
            Problem(
                "audit",
                f"{fact}, but the audit log has no {action!r} entry for it",
                expected=action,
                actual=", ".join(sorted(actions)) or "an empty audit log",
            )
        )

    decisions = Counter(record["decision"] for record in observation.consent)
    for decision, count in decisions.items():
        if actions[f"consent.{decision}"] < count:
            missing(f"consent.{decision}", f"the ledger records {count} x {decision}")

    if _crm_calls(observation, "crm.lead.add") and not actions["lead.created"]:
        missing("lead.created", "the CRM received crm.lead.add")
    if _crm_calls(observation, "crm.lead.update") and not (
        actions["lead.updated"] or actions["lead.created"]
    ):
        missing("lead.updated", "the CRM received crm.lead.update")
    if _crm_calls(observation, "crm.lead.delete") and not any(
        action.startswith("erasure.") for action in actions
    ):
        missing("erasure.*", "the CRM received crm.lead.delete")

    asked = [call for call in observation.calls if call.provider == "openai"]
    if asked and not actions["llm.requested"]:
        missing("llm.requested", f"the LLM received {len(asked)} request(s)")
    if asked and not actions["pii.detected"] and _persona_in_turns(observation):
        missing("pii.detected", "the client wrote personal data and the LLM was asked")
    if observation.sent and not actions["message.sent"]:
        missing(
            "message.sent", f"{len(observation.sent)} message(s) reached the client"
        )
    return problems


def _crm_operations(observation: Observation) -> list[tuple[Any, str]]:
    """Every CRM method called, with its call; a batch gives each command."""
    found = []
    for call in observation.calls:
        if call.provider != "bitrix24":
            continue
        if call.operation != "batch":
            found.append((call, call.operation))
            continue
        commands = (call.body or {}).get("cmd") or {}
        for command in dict(commands).values():
            found.append((call, str(command).partition("?")[0]))
    return found


def _crm_calls(observation: Observation, operation: str) -> list[Any]:
    """The calls of *operation* the portal carried out (a lost answer included)."""
    return [
        call
        for call, called in _crm_operations(observation)
        if called == operation
        and (call.status == 200 or call.fault == "crm-lost-write")
    ]


def _persona_in_turns(observation: Observation) -> bool:
    tracer = Tracer(observation.dialogue.persona)
    return any(
        tracer.find(turn.text or "", "turn") for turn in observation.dialogue.turns
    )


# --------------------------------------------------------------------------
# Personal data where it must not be


_PLACES = {"LLM": "an LLM request", "a": "a log record", "audit": "the audit log"}


def _privacy(observation: Observation, tracer: Tracer) -> list[Problem]:
    leaks = []
    for number, body in enumerate(observation.llm_requests, start=1):
        leaks += tracer.find(body, f"LLM request {number}")
    for line in observation.logs:
        leaks += tracer.find(line, "a log record")
    for entry in observation.audit:
        leaks += tracer.find(entry["text"], f"audit entry {entry['seq']}")

    # One problem per value and kind of place: the first one is enough to act.
    grouped: dict[tuple[str, str], list[Any]] = {}
    for leak in leaks:
        place = _PLACES[leak.where.split(" ")[0]]
        grouped.setdefault((leak.label, place), []).append(leak)
    problems = []
    for (label, place), found in grouped.items():
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        problems.append(
            Problem(
                "privacy",
                f"{label} reached {place}",
                expected="a pseudonym such as [PERSON_1] or [PHONE_1]",
                actual=f"{found[0].where}{more}: …{found[0].context}…",
            )
        )
    return problems


def _before_consent(observation: Observation) -> list[Problem]:
    granted = [
        record for record in observation.consent if record["decision"] == "granted"
    ]
    first_turn = (
        min(observation.turn_of(record["at"]) for record in granted)
        if granted
        else None
    )
    problems = []
    for call, operation in _crm_operations(observation):
        if not CRM_WRITES.fullmatch(operation):
            continue
        if first_turn is None or call.turn < first_turn:
            problems.append(
                Problem(
                    "before-consent",
                    f"{operation} reached the CRM during turns[{call.turn}], "
                    + (
                        "and the client never consented"
                        if first_turn is None
                        else f"before the client consented (turns[{first_turn}])"
                    ),
                )
            )
    for row in observation.local_leads:
        if first_turn is None or observation.turn_of(row["created_at"]) < first_turn:
            problems.append(
                Problem(
                    "before-consent",
                    "the local CRM stored a lead before the client consented",
                )
            )
    return problems


# --------------------------------------------------------------------------
# Recovery: the state under a fault equals the fault-free state


def final_state(observation: Observation) -> dict[str, Any]:
    """What must come out the same whatever the faults."""
    leads = sorted(
        (
            {key: value for key, value in lead.items() if key != "ORIGIN_ID"}
            for lead in crm_leads(observation)
        ),
        key=repr,
    )
    return {
        "leads": leads,
        "notes": sorted(crm_notes(observation)),
        "consent": [
            (record["purpose"], record["decision"], record["template_version"])
            for record in observation.consent
        ],
        "replies": Counter(message.text for message in observation.sent),
        "audit": Counter(
            entry["action"] for entry in observation.audit if entry["outcome"] == "ok"
        ),
    }


def compare(observation: Observation, reference: Observation) -> list[Problem]:
    """How the state after a fault differs from the fault-free replay."""
    tracer = Tracer(observation.dialogue.persona)
    mine, theirs = final_state(observation), final_state(reference)
    problems = []
    for part in mine:
        if mine[part] == theirs[part]:
            continue
        problems.append(
            Problem(
                "recovery",
                f"after the fault cleared, the {part} differ from the fault-free "
                f"replay: {_difference(mine[part], theirs[part])}",
                expected=_short(tracer.redact(_show(theirs[part])), 500),
                actual=_short(tracer.redact(_show(mine[part])), 500),
            )
        )
    return problems


def _show(value: Any) -> str:
    if isinstance(value, Counter):
        return ", ".join(f"{count} x {key}" for key, count in sorted(value.items()))
    return repr(value)


def _difference(mine: Any, theirs: Any) -> str:
    if isinstance(mine, Counter) and isinstance(theirs, Counter):
        doubled = [key for key in mine if mine[key] > theirs[key]]
        lost = [key for key in theirs if theirs[key] > mine[key]]
        parts = []
        if doubled:
            parts.append("more of " + ", ".join(map(repr, doubled[:_SHOWN])))
        if lost:
            parts.append("fewer of " + ", ".join(map(repr, lost[:_SHOWN])))
        return "; ".join(parts)
    if isinstance(mine, list) and isinstance(theirs, list) and len(mine) != len(theirs):
        return f"{len(mine)} instead of {len(theirs)}"
    return "the contents changed"
