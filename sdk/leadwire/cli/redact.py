"""``leadwire redact``: what a message would look like to the LLM."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any, BinaryIO

import click
from click.core import ParameterSource

from leadwire.cli._common import Context, config_option, read_config
from leadwire.config import PiiSettings
from leadwire.errors import ConfigError, DetectionError
from leadwire.models import Entity
from leadwire.pii import Detector, PlaceholderMap, Pseudonymized, Pseudonymizer


@click.command()
@click.argument("source", type=click.File("rb"), default="-", required=False)
@click.option(
    "--jsonl",
    is_flag=True,
    help='Read JSON lines {"id": ..., "text": ...} and print JSON lines.',
)
@click.option(
    "--show-values",
    is_flag=True,
    help="Also print the values found. They are personal data: mind the terminal.",
)
@config_option
@click.pass_context
def redact(
    ctx: click.Context,
    source: BinaryIO,
    jsonl: bool,
    show_values: bool,
    config_path: Path,
) -> None:
    """Pseudonymise messages read from SOURCE (stdin by default), one per line.

    Prints each message as the LLM would see it, and the entities found (type,
    span in the original, placeholder). One placeholder map serves the whole
    input, as for one client: the same phone is the same placeholder on every
    line. The pii settings of the configuration apply when it exists.

    Exit codes: 0 every line done, 1 some line could not be read or
    pseudonymised (reported on stderr with its number; the others are still
    done), 2 wrong usage.
    """
    context: Context = ctx.obj
    settings = _settings(ctx, context, config_path)
    recognizers = list(context.host.registry.recognizers.values())
    if not recognizers:
        click.secho(
            "no personal-data recognizers are loaded; is the pii plugin left "
            "out of LEADWIRE_PLUGINS?",
            fg="red",
            err=True,
        )
        raise SystemExit(1)
    try:
        detector = Detector.build(recognizers, settings)
    except ConfigError as error:
        click.secho(f"{config_path}: {error}", fg="red", err=True)
        raise SystemExit(1) from None

    failures = _redact_lines(source, Pseudonymizer(detector), jsonl, show_values)
    if failures:
        click.secho(f"{failures} line(s) not pseudonymised", fg="red", err=True)
        raise SystemExit(1)


def _settings(ctx: click.Context, context: Context, path: Path) -> PiiSettings:
    """The configuration's pii settings; the defaults when no file is there."""
    given = ctx.get_parameter_source("config_path") is not ParameterSource.DEFAULT
    if not given and not path.is_file():
        return PiiSettings()
    return read_config(context, path, require_env=False).pii


def _redact_lines(
    source: BinaryIO, pseudonymizer: Pseudonymizer, jsonl: bool, show_values: bool
) -> int:
    """Pseudonymise every line; return how many could not be."""
    mapping = PlaceholderMap()
    counts: Counter[str] = Counter()
    failures = 0
    for number, raw in enumerate(source, start=1):
        try:
            line = raw.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError as error:
            # Lines are read as bytes so that one bad line spares the rest.
            reason = f"line {number}: not UTF-8 text ({error.reason})"
            click.secho(reason, fg="red", err=True)
            failures += 1
            continue
        if jsonl and not line.strip():
            continue
        try:
            message_id, text = _parse(line, jsonl)
            result = pseudonymizer.pseudonymize(text, mapping)
        except (ValueError, DetectionError) as error:
            click.secho(f"line {number}: {error}", fg="red", err=True)
            failures += 1
            continue

        counts.update(entity.type for entity in result.entities)
        described = _describe(result, mapping, show_values)
        if jsonl:
            record = {"id": message_id, "text": result.text, "entities": described}
            click.echo(json.dumps(record, ensure_ascii=False))
        else:
            click.echo(result.text)
            for entity in described:
                click.echo("  " + _line_of(entity))

    summary = ", ".join(f"{kind} {count}" for kind, count in sorted(counts.items()))
    click.echo(f"entities: {summary or 'none'}", err=True)
    return failures


def _parse(line: str, jsonl: bool) -> tuple[Any, str]:
    """The id and text of one input line; ValueError saying what is wrong."""
    if not jsonl:
        return None, line
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise ValueError(
            f"not valid JSON ({error.msg} at column {error.colno})"
        ) from None
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        raise ValueError('expected an object with a "text" string')
    return record.get("id"), record["text"]


def _describe(
    result: Pseudonymized, mapping: PlaceholderMap, show_values: bool
) -> list[dict[str, Any]]:
    described = []
    for entity, placeholder in zip(result.entities, result.placeholders, strict=True):
        item: dict[str, Any] = {
            "type": entity.type,
            "start": entity.start,
            "end": entity.end,
            "placeholder": placeholder,
            "recognizer": entity.recognizer,
        }
        if show_values:
            item["value"] = entity.value
            item["normalized"] = _canonical(entity, mapping, placeholder)
        described.append(item)
    return described


def _canonical(entity: Entity, mapping: PlaceholderMap, placeholder: str) -> str:
    entry = mapping.lookup(placeholder)
    return entry.value if entry else entity.normalized or ""


def _line_of(entity: dict[str, Any]) -> str:
    line = f"{entity['type']} {entity['start']}-{entity['end']} {entity['placeholder']}"
    if "value" in entity:
        line += f" = {entity['value']!r} ({entity['normalized']})"
    return line


COMMANDS = [redact]
