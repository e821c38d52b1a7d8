"""Effects, views and buttons of the `/exit` dialog: the in-the-room help for the whole event.

The first screen depends on the event the user is at right now: online help first when it is
an online event, the help for the room otherwise, with one button to the online help while
nobody has said whether the event is online. While an event is on, the two situations prepared
for it come first, so a line to leave is one tap after 🚪. Lines come in the tone the user chose
last time, in their online version at an online event (unless the user asked for the help for
the room: a hybrid event), and openers fit the goal of the event in hand (or the user's goals).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.coach.exit_lines import LEAVE, ONLINE, ROOM, ExitLibrary, ExitLines, Venue
from bot.coach.journal import Event, JournalRecords
from bot.coach.when import MAX_DURATION
from bot.engine.domain import Domain, StepContext

SITUATION, INDEX, TONE, MENU, VENUE = "situation", "line_index", "tone", "menu", "venue"
PREPARED_SHOWN = 2  # the situations /prepare picked for the event: both on the first screen
TONES = ("warm", "brief")
# The event "in hand": from this long before its start until its end (arriving early counts).
EARLY = timedelta(minutes=30)
EVENTS_LOOKED_AT = 3  # overlapping events are rare; the latest started one counts


def event_in_hand(records: JournalRecords, now: datetime) -> Event | None:
    """The user's event that is on now (or starts within EARLY), the latest started first."""
    found = records.events_on(now - MAX_DURATION, now + EARLY, now, EVENTS_LOOKED_AT)
    return found[0] if found else None


@dataclass(frozen=True)
class Room:
    """What the coach knows about where the user is: the event in hand, if any."""

    event: Event | None

    @property
    def online(self) -> bool | None:
        """True/False when the event in hand says so; None when nothing is known."""
        return None if self.event is None else self.event.online

    def first_menu(self) -> str:
        return ONLINE if self.online else ROOM

    def venue(self) -> Venue:
        return "online" if self.online else "room"

    def prepared(self, lines: ExitLines) -> list[str]:
        """The situations prepared for the event in hand (that still exist), in their order."""
        if self.event is None:
            return []
        found = [key for key in self.event.exit_situations if key in lines.situations]
        return found[:PREPARED_SHOWN]

    def goals(self, profile_goals: list[str]) -> list[str]:
        """The event's goal when it names one (a try-out does not), else the user's goals."""
        if self.event is not None and self.event.goal and self.event.goal != "tryout":
            return [self.event.goal]
        return list(profile_goals)


def menu_items(lines: ExitLines, menu: str, room: Room, first: bool) -> list[str]:
    """The buttons of `menu`. On the first screen: no way to the online help when the event is
    known to be in person. Further in: no way to the other first screen (in the room or
    online), since "back" leads there."""
    items = lines.menus[menu].items
    if not first:
        return [item for item in items if item not in (ROOM, ONLINE)]
    return [item for item in items if not (item == ONLINE and room.online is False)]


def exit_domain(library: ExitLibrary) -> Domain:
    def room_of(ctx: StepContext) -> Room:
        if ctx.records_store is None:  # a preview without records (tests of the engine)
            return Room(None)
        return Room(event_in_hand(ctx.records_store, ctx.now))

    def venue_of(ctx: StepContext, room: Room | None = None) -> Venue:
        """Where the user is: what they chose (the help for the room at an online event is a
        hybrid event), else what the event in hand says."""
        chosen = ctx.answers.get(VENUE)
        if chosen in ("room", "online"):
            return "online" if chosen == "online" else "room"
        return (room or room_of(ctx)).venue()

    def label(lines: ExitLines, item: str, venue: Venue) -> str:
        if item in lines.menus:
            return lines.menus[item].label_at(venue)
        return lines.situations[item].label

    def buttons(ctx: StepContext, menu: str, first: bool) -> list[tuple[str, str]]:
        lines = library[ctx.lang]
        room = room_of(ctx)
        items = menu_items(lines, menu, room, first)
        if first:  # the event's prepared situations first: one tap to a line
            items = [*room.prepared(lines), *items]
        venue = room.venue() if first else venue_of(ctx, room)
        return [(item, label(lines, item, venue)) for item in dict.fromkeys(items)]

    def first_screen(ctx: StepContext) -> list[tuple[str, str]]:
        return buttons(ctx, room_of(ctx).first_menu(), first=True)

    def submenu(ctx: StepContext) -> list[tuple[str, str]]:
        return buttons(ctx, shown_menu(ctx), first=False)

    def shown_menu(ctx: StepContext) -> str:
        menu = ctx.answers.get(MENU)
        return menu if menu in library[ctx.lang].menus else LEAVE

    def leave_situations(ctx: StepContext) -> list[tuple[str, str]]:
        """The reasons to leave a conversation: also what /prepare puts on the cheat sheet."""
        lines = library[ctx.lang]
        return [
            (key, lines.situations[key].label)
            for key in lines.menus[LEAVE].items
            if key in lines.situations
        ]

    def menu_chosen(ctx: StepContext) -> bool:
        return ctx.answers.get(SITUATION) in library[ctx.lang].menus

    def choose_first(ctx: StepContext) -> None:
        """A tap on the first screen: the event in hand says where the user is, unless they
        chose the online help or the help for the room."""
        ctx.answers.pop(VENUE, None)
        choose(ctx)

    def choose(ctx: StepContext) -> None:
        """A tap on a menu opens it (the online help, or the help for the room, sets where the
        user is); a tap on a situation starts its lines in the user's tone."""
        chosen = ctx.answers.get(SITUATION)
        if chosen in library[ctx.lang].menus:
            ctx.answers[MENU] = chosen
            if chosen in (ROOM, ONLINE):
                ctx.answers[VENUE] = "online" if chosen == ONLINE else "room"
            return
        ctx.answers[INDEX] = 0
        remembered = ctx.session.profile.exit_tone
        ctx.answers[TONE] = remembered if remembered in TONES else "warm"

    def next_line(ctx: StepContext) -> None:
        ctx.answers[INDEX] = int(ctx.answers.get(INDEX, 0)) + 1

    def toggle_tone(ctx: StepContext) -> None:
        tone = "brief" if ctx.answers.get(TONE, "warm") == "warm" else "warm"
        ctx.answers[TONE] = tone
        ctx.session.profile.exit_tone = tone  # the next /exit starts in it

    def screen(ctx: StepContext, menu: str) -> dict[str, Any]:
        room = room_of(ctx)
        return {
            "menu": menu,
            "event": room.event.name if room.event else None,
            "online": room.online,
            "venue": venue_of(ctx, room),
            "prepared": bool(room.prepared(library[ctx.lang])),
        }

    def first_screen_view(ctx: StepContext) -> dict[str, Any]:
        return {**screen(ctx, room_of(ctx).first_menu()), "venue": room_of(ctx).venue()}

    def menu_view(ctx: StepContext) -> dict[str, Any]:
        return screen(ctx, shown_menu(ctx))

    def line_view(ctx: StepContext) -> dict[str, Any]:
        lines = library[ctx.lang]
        key = ctx.answers.get(SITUATION)
        if key not in lines.situations:  # content edited since: start again with the first one
            key = next(iter(lines.situations))
        situation = lines.situations[key]
        room = room_of(ctx)
        venue = venue_of(ctx, room)
        version = situation.at(venue)
        ordered = lines.lines_for(key, room.goals(ctx.session.profile.goals), venue)
        index = int(ctx.answers.get(INDEX, 0))
        line = ordered[index % len(ordered)]
        tone = ctx.answers.get(TONE, "warm")
        online = version is not situation
        return {
            "situation": situation.label,
            "line": line.warm if tone == "warm" else line.brief,
            "technique": lines.techniques[line.technique],
            "tip": version.tip,
            "next": version.next,
            "only_if": line.only_if,
            "tone": tone,
            "number": index % len(ordered) + 1,
            "of": len(ordered),
            "venue": venue,
            # which line this is in exit_lines.yaml, for the step history (`exit-coach stats`)
            "line_id": f"{key}/{'online-' if online else ''}{version.lines.index(line) + 1}",
        }

    return Domain(
        effects={
            "first_exit_line": choose_first,
            "menu_exit_line": choose,
            "next_exit_line": next_line,
            "toggle_exit_tone": toggle_tone,
        },
        conditions={"exit_menu_chosen": menu_chosen},
        views={
            "exit_line": line_view,
            "exit_first_screen": first_screen_view,
            "exit_menu": menu_view,
        },
        option_providers={
            "exit_situations": leave_situations,
            "exit_first_screen": first_screen,
            "exit_menu": submenu,
        },
    )
