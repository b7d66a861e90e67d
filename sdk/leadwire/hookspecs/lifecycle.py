"""Hooks that follow the engine's life: the audit trail and the command line."""

from __future__ import annotations

import click

from leadwire.markers import hookspec
from leadwire.models import AuditEvent

# ---------------------------------------------------------------------------
# Start-up: called once when the command line is built.


@hookspec
def leadwire_register_commands(cli: click.Group) -> None:
    """Add commands to the ``leadwire`` command line.

    :param cli: The top-level group; add commands with ``@cli.command()``.

    The return value is ignored. A command that reads personal data must write
    an audit entry for it.

    Example::

        @hookimpl
        def leadwire_register_commands(cli):
            @cli.command()
            def hello():
                click.echo("hello")
    """


# ---------------------------------------------------------------------------
# Running: called while the engine works.


@hookspec
def leadwire_audit_event(event: AuditEvent) -> None:
    """Observe each audit-log entry after it is durably written.

    :param event: The entry, chained and hashed. It carries types, counts and
        pseudonymous ids, never personal data.

    The return value is ignored. An exception raised here is logged and does
    not undo the entry; keep the hook fast (hand slow work to a queue).

    Example::

        @hookimpl
        def leadwire_audit_event(event):
            siem.send(event.action, event.client_id, event.hash)
    """
