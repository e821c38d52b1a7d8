"""`exit-coach run | chat | check | lock-states | graph | test-dialogs | stats | migrate |
waitlist | bench`;
plain `exit-coach`: run with a token, else chat."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import textwrap
from pathlib import Path

from pydantic import ValidationError

from bot.config import Settings, describe_problems, get_settings
from bot.engine.errors import ExitCoachError
from bot.logs import configure_logging, mask, secrets_of

log = logging.getLogger(__name__)

NO_TOKEN = """\
Exit Coach needs a bot token to run on Telegram, and none is set.

To get one, open Telegram, talk to @BotFather, send /newbot and follow the two questions; it
answers with a token like 123456789:AA... Put it in a file named .env in this folder as
TELEGRAM_BOT_TOKEN=<your token> (see .env.example), then run `exit-coach run` again.

Meanwhile you can try the coach right here in the terminal: `exit-coach chat`."""

BAD_SETTINGS = "Exit Coach cannot start: a setting in the environment or .env needs fixing."
CANNOT_START = "Exit Coach cannot start."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="exit-coach", description=__doc__)
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("run", help="serve the bot on Telegram (polling, or webhook if configured)")
    chat = commands.add_parser("chat", help="talk to the coach in this terminal")
    chat.add_argument("--lang", help="language for a new user (a folder in prompts/)")
    chat.add_argument("--record", type=Path, metavar="FILE.md",
                      help="keep the session as a readable Markdown file")  # fmt: skip
    chat.add_argument("--as-test", type=Path, metavar="FILE.yaml",
                      help="keep it as a transcript test too (starts as a new user)")  # fmt: skip
    commands.add_parser("check", help="validate dialogs and prompts; non-zero exit on problems")
    commands.add_parser(
        "lock-states", help="record every dialog's states in dialogs/states.lock (at a release)"
    )
    stats = commands.add_parser("stats", help="where users go and stop in each dialog")
    stats.add_argument("--since", help="only steps from this date on (2026-11-01)")
    stats.add_argument("--format", choices=["table", "csv"], default="table")
    stats.add_argument("--chart", metavar="FILE.png", help="also draw a funnel per dialog")
    graph = commands.add_parser("graph", help="draw a dialog (Mermaid, Graphviz dot or SVG)")
    graph.add_argument("dialog", nargs="?", help="dialog name (default: all)")
    graph.add_argument("--format", choices=["mermaid", "dot", "svg"], default="mermaid")
    graph.add_argument("--output", type=Path, help="write to this file (svg of all: a folder)")
    graph.add_argument("--write-docs", action="store_true",
                       help="redraw the diagrams in docs/dialogs.md")  # fmt: skip
    dialog_tests = commands.add_parser(
        "test-dialogs", help="replay transcript tests (tests/transcripts/*.yaml) without pytest"
    )
    dialog_tests.add_argument("files", nargs="*", type=Path, help="transcripts (default: all)")
    dialog_tests.add_argument("--coverage", action="store_true",
                              help="report the states and transitions they exercise")  # fmt: skip
    commands.add_parser("migrate", help="upgrade the database schema (also done at start)")
    waitlist = commands.add_parser("waitlist", help="print the offers' waitlists as CSV")
    waitlist.add_argument("offer", nargs="?", help="one offer's key (default: all)")
    commands.add_parser("bench", help="measure speed against baselines (see bench/runner.py)",
                        add_help=False)  # fmt: skip
    args, rest = parser.parse_known_args(argv)
    if args.command == "bench":
        from bench.runner import main as bench  # the benchmark lives beside bot/ in a checkout

        return bench(rest)
    if rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")

    try:
        settings = get_settings()
    except ValidationError as exc:  # a wrong setting is the operator's to fix: no traceback
        print(f"{BAD_SETTINGS}\n\n{wrapped(describe_problems(exc))}", file=sys.stderr)
        return 2
    configure_logging(settings)
    try:
        return run_command(args, settings)
    except ExitCoachError as problem:  # the operator's to fix: the setting, the database…
        return cannot_start(problem, settings)
    except KeyboardInterrupt:  # Ctrl-C in the terminal chat: leaving, not a failure
        return 130
    except Exception:  # a bug: its traceback, through the log handler that masks secrets
        log.critical("Exit Coach stopped on an unexpected error", exc_info=True)
        return 1


def cannot_start(problem: ExitCoachError, settings: Settings) -> int:
    """The paragraph for the operator, exit code 2; the traceback only at LOG_LEVEL=DEBUG, and
    no secret in either (library messages included: they reach only the masking log)."""
    log.debug("why Exit Coach cannot start:", exc_info=problem)
    print(f"{CANNOT_START}\n\n{wrapped(mask(str(problem), secrets_of(settings)))}", file=sys.stderr)
    return 2


def wrapped(text: str) -> str:
    """Paragraphs wrapped for a terminal; URLs and paths are never broken."""
    paragraphs = text.split("\n\n")
    return "\n\n".join(
        textwrap.fill(p, width=100, break_long_words=False, break_on_hyphens=False)
        for p in paragraphs
    )


def run_command(args: argparse.Namespace, settings: Settings) -> int:
    command = args.command or ("run" if settings.telegram_bot_token else "chat")
    if command == "check":
        return check(settings)
    if command == "lock-states":
        from bot.authoring.commands import lock_states_command

        return lock_states_command(settings)
    if command == "stats":
        from bot.authoring.commands import stats_command

        return stats_command(settings, args.since, args.format, args.chart)
    if command == "graph":
        from bot.authoring.diagrams import graph_command

        return graph_command(
            settings.dialogs_dir, args.dialog, args.format, args.output, args.write_docs
        )
    if command == "test-dialogs":
        from bot.authoring.dialog_tests import dialog_tests_command

        return dialog_tests_command(settings, args.files, args.coverage)
    if command == "waitlist":
        return asyncio.run(waitlist_command(settings, args.offer))
    if command == "migrate":
        return asyncio.run(migrate_command(settings))
    if command == "chat" and (getattr(args, "record", None) or getattr(args, "as_test", None)):
        from bot.authoring.recording import recorded_chat

        language = (args.lang or os.environ.get("LANG", "en"))[:2].lower()  # de_DE.UTF-8: de
        logging.getLogger().setLevel(max(logging.WARNING, logging.getLogger().level))
        if not args.as_test:  # a test runs on a database of its own
            serving(settings)
        return asyncio.run(recorded_chat(settings, language, args.record, args.as_test))
    if command == "chat":
        serving(settings)
        return asyncio.run(chat_command(settings, getattr(args, "lang", None)))
    if settings.telegram_bot_token is None:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    serving(settings)
    from bot.telegram.application import run_bot

    run_bot(settings)
    return 0


def serving(settings: Settings) -> None:
    """Claim the database for this bot process: a second process on the same SQLite file is
    refused at once (`DatabaseInUse`, a `CannotStart`), not deep inside start-up."""
    from bot.store.database import claim_database

    claim_database(settings.database_url)


def check(settings: Settings) -> int:
    from bot.check import check_report

    report = check_report(settings)
    problems = report.problems
    for warning in report.warnings:
        print(f"! {warning}")
    for problem in problems:
        print(f"✗ {problem}")
    if problems:
        print(f"{len(problems)} problem(s) in {settings.dialogs_dir} / {settings.prompts_dir}")
        return 1
    print("✓ dialogs and prompts are valid")
    return 0


async def chat_command(settings: Settings, language: str | None) -> int:
    from bot.bootstrap import open_service
    from bot.console.chat import ConsoleChat
    from bot.reminders import ReminderRunner
    from bot.store.reminders import ReminderStore

    logging.getLogger().setLevel(max(logging.WARNING, logging.getLogger().level))
    service = await open_service(settings)
    language = language or os.environ.get("LANG", "en")
    reminders = ReminderRunner(service, ReminderStore(service.store.database))
    poll = min(settings.reminder_poll_seconds, 5)  # a person is watching: check often
    chat = ConsoleChat(
        service, language=language, reminders=reminders, poll_seconds=poll, introduce=True
    )
    try:
        await chat.run()
    finally:
        await service.store.database.dispose()
    return 0


async def migrate_command(settings: Settings) -> int:
    """Upgrade the schema without starting the bot: for a deploy step before the new version
    starts (the bot also upgrades at start, so this is optional)."""
    from bot.store.database import open_database
    from bot.store.migrate import current_revision, head_revision, upgrade

    database = await open_database(settings.database_url, migrate=False)
    try:
        before = await current_revision(database)
        await upgrade(database)
        after = await current_revision(database)
    finally:
        await database.dispose()
    head = head_revision()
    if before == after:
        print(f"✓ the database is up to date (revision {after}, newest {head})")
    else:
        print(f"✓ migrated the database from revision {before or 'none'} to {after}")
    return 0


async def waitlist_command(settings: Settings, offer: str | None) -> int:
    from bot.store.database import open_database
    from bot.store.waitlist import waitlist_csv

    database = await open_database(settings.database_url)
    try:
        sys.stdout.write(await waitlist_csv(database, offer))
    finally:
        await database.dispose()
    return 0
