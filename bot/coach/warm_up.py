"""Two minutes before the event: the cheat-sheet reminder offers a warm-up. Say the
introduction aloud once, pick the first line to say (an opener for the event's goal, the online
one at an online event), and one calm-down cue (COACHING.md, tone: the user is often nervous;
praise small steps).
"""

from __future__ import annotations

from typing import Any

from bot.coach.exit_coach import Room
from bot.coach.exit_lines import ExitLibrary, Venue
from bot.coach.journal import Event, journal_of
from bot.engine.domain import Domain, StepContext

OPENERS = {"room": "open_conversation", "online": "breakout_join"}  # situations in exit_lines
OPENERS_OFFERED = 3
OPENER_KEY = "opener"


def warm_up_domain(library: ExitLibrary) -> Domain:
    def event_of(ctx: StepContext) -> Event | None:
        return journal_of(ctx).event(ctx.answers.get("event_id"))

    def openers(ctx: StepContext) -> list[str]:
        """The first lines to choose from: openers for the event's goal, where it happens."""
        event = event_of(ctx)
        venue: Venue = "online" if event is not None and event.online else "room"
        goals = Room(event).goals(ctx.session.profile.goals)
        lines = library[ctx.lang].lines_for(OPENERS[venue], goals, venue)
        return [line.warm for line in lines if not line.only_if][:OPENERS_OFFERED]

    def options(ctx: StepContext) -> list[tuple[str, str]]:
        return [(f"o{number}", str(number)) for number in range(1, len(openers(ctx)) + 1)]

    def view(ctx: StepContext) -> dict[str, Any]:
        offered = openers(ctx)
        chosen = str(ctx.answers.get(OPENER_KEY) or "")
        number = int(chosen[1:]) if chosen[1:].isdigit() else 0
        return {
            "event": event_of(ctx),
            "openers": offered,
            "opener": offered[number - 1] if 0 < number <= len(offered) else None,
        }

    return Domain(views={"warm_up": view}, option_providers={"warm_up_openers": options})
