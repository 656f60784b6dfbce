"""The command line: each domain keeps its commands next to it (``<domain>/cli.py``).

``flask --app coordination <group> <command>``; bad input prints one line on stderr and exits
with code 2 (``coordination.core.cli``).
"""

from __future__ import annotations

from importlib import import_module

from flask import Flask

from coordination.core.cli import backup_command, restore_command

#: Modules whose ``cli`` is a command group of the application.
CLI_MODULES = (
    "coordination.users.cli",
    "coordination.demo.cli",
    "coordination.notifications.cli",
    "coordination.meetings.cli",
    "coordination.minutes.cli",
    "coordination.feeds.cli",
    "coordination.search.cli",
    "coordination.core.migrations_cli",  # replaces Flask-Migrate's `db` group
)


def register_cli(app: Flask) -> None:
    for module_name in CLI_MODULES:
        app.cli.add_command(import_module(module_name).cli)
    for command in (backup_command, restore_command):
        app.cli.add_command(command)
