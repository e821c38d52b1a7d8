"""Tables. The session row holds only what drives the dialog (one small JSON document); a user's
records (profile, events, reflections, contacts, networks and their reviews, reminders, waitlist
entries, the step history) have tables of their own, so an update reads the rows it needs, not a
user's whole history (docs/architecture.md, "Data", says which reads grow). Every row about a
user hangs off `users` with ON DELETE CASCADE, so erasing the user row erases everything. Times
are naive UTC (see `to_db`).

Changed only through Alembic revisions (migrations/); a test compares this file with them.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()


def _user_id() -> Column[int]:
    return Column(
        "user_id", BigInteger, ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    )


users = Table(
    "users",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("session", Text, nullable=False),  # bot.engine.session.Session as JSON, small
    Column("version", Integer, nullable=False),
    Column("blocked", Boolean, nullable=False, default=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# Onboarding answers and preferences the coach uses everywhere (one row per user).
profiles = Table(
    "profiles",
    metadata,
    Column(
        "user_id", BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("name", Text, nullable=True),
    Column("business", Text, nullable=True),
    Column("goals", Text, nullable=False),  # JSON list of goal ids
    Column("reminders_off", Text, nullable=False),  # JSON list of reminder kinds turned off
    Column("exit_tone", String(8), nullable=True),  # warm | brief: the last tone chosen in /exit
)

# The networks (associations, regular meetups…) a user's events belong to.
networks = Table(
    "networks",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _user_id(),
    Column("name", Text, nullable=False),
    Column("name_key", String(200), nullable=False),  # casefolded, so "BNI" and "bni" are one
    # Where a review of the network stands (postponed | talk | kept | withdraw | left; None: no
    # review yet), since when, and for a planned withdrawal the end of the membership period.
    Column("review_stage", String(16), nullable=True),
    Column("review_at", DateTime, nullable=True),
    Column("leave_on", DateTime, nullable=True),
    UniqueConstraint("user_id", "name_key", name="uq_networks_user_name"),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _user_id(),
    Column("key", String(16), nullable=False),  # the id buttons and reminders carry
    Column("name", Text, nullable=False),
    Column("starts_at", DateTime, nullable=False),
    Column("ends_at", DateTime, nullable=False),
    Column("fit", String(16), nullable=True),
    Column("people_fit", String(16), nullable=True),
    Column("goal", String(40), nullable=False),
    Column("tryout", Boolean, nullable=False),
    Column("online", Boolean, nullable=True),  # None: not asked (events before it was asked)
    # planned (the user prepared to go) or skipped (kept for the mix; no reminders)
    Column("status", String(16), nullable=False, server_default="planned"),
    Column("confidence_before", Integer, nullable=True),
    Column("whom", Text, nullable=True),
    Column("give", Text, nullable=True),
    # the idea picked when the user did not know what to give: tip | introduction | resource |
    # question (worded in the user's language by the cheat sheet)
    Column("give_idea", String(16), nullable=True),
    Column("intro", Text, nullable=True),
    Column("exit_situations", Text, nullable=False),  # JSON list of situation ids
    Column(
        "network_id", Integer, ForeignKey("networks.id", ondelete="SET NULL"), nullable=True
    ),
    Column("created_at", DateTime, nullable=False),
    UniqueConstraint("user_id", "key", name="uq_events_user_key"),
    Index("ix_events_user_starts", "user_id", "starts_at"),
    Index("ix_events_network", "network_id"),
)

reflections = Table(
    "reflections",
    metadata,
    Column(
        "event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("usefulness", Integer, nullable=False),
    Column("goals_met", String(16), nullable=False),
    Column("energy", Integer, nullable=False),
    Column("confidence_after", Integer, nullable=True),
    Column("go_again", String(16), nullable=False),
    Column("at", DateTime, nullable=False),
)

contacts = Table(
    "contacts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _user_id(),
    Column("key", String(16), nullable=False),
    Column("name", Text, nullable=False),
    Column("place", Text, nullable=True),
    Column("topic", Text, nullable=True),  # None: caught in the room, not drafted yet
    Column("give", Text, nullable=True),
    Column("promised", Boolean, nullable=True),  # the give was promised: "as promised"
    Column("address", String(8), nullable=True),  # informal | formal (Du/Sie)
    Column("channel", String(20), nullable=True),  # None: not drafted yet
    Column("organisation", Text, nullable=True),  # a company met: greeted as a team, or via…
    Column("honorific", String(8), nullable=True),  # female | male | neutral (formal address)
    Column("met_online", Boolean, nullable=True),  # met online, at no event in the journal
    Column("intro_to", Text, nullable=True),  # whom an introduction would be to
    Column("note", Text, nullable=True),  # the few words noted when caught in the room
    Column("status", String(8), nullable=False),  # open | done
    Column("event_id", Integer, ForeignKey("events.id", ondelete="SET NULL"), nullable=True),
    Column("created_at", DateTime, nullable=False),
    Column("done_at", DateTime, nullable=True),
    UniqueConstraint("user_id", "key", name="uq_contacts_user_key"),
    Index("ix_contacts_user_status", "user_id", "status"),
    Index("ix_contacts_event", "event_id"),
)

network_reviews = Table(
    "network_reviews",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _user_id(),
    Column(
        "network_id", Integer, ForeignKey("networks.id", ondelete="CASCADE"), nullable=False
    ),
    Column("decision", String(16), nullable=False),  # keep | talk | talk_helped | withdraw | left…
    Column("at", DateTime, nullable=False),
    Index("ix_network_reviews_network", "network_id"),
    Index("ix_network_reviews_user", "user_id"),
)

# The yearly networking plan: one per user and year (the networks as JSON {name: stay|go}).
year_plans = Table(
    "year_plans",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _user_id(),
    Column("year", Integer, nullable=False),
    Column("contacts", Text, nullable=True),
    Column("places", Text, nullable=True),
    Column("networks", Text, nullable=False),
    Column("topics", Text, nullable=True),
    # the budget: goal events per month, try-outs per quarter, hours per month (None: not set)
    Column("events_per_month", Integer, nullable=True),
    Column("tryouts_per_quarter", Integer, nullable=True),
    Column("hours_per_month", Integer, nullable=True),
    Column("saved_at", DateTime, nullable=False),
    UniqueConstraint("user_id", "year", name="uq_year_plans_user_year"),
)

# Planned messages (cheat sheet before an event, reflection after it, follow-up nudges). They live
# here rather than only in the job queue so that a restart, even a kill, loses none.
reminders = Table(
    "reminders",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _user_id(),
    Column("key", String(120), nullable=False),
    Column("due_at", DateTime, nullable=False),
    Column("dialog", String(40), nullable=False),
    Column("answers", Text, nullable=False),
    Column("sent_at", DateTime, nullable=True),
    Column("attempts", Integer, nullable=False, default=0),
    # While one instance runs it: until when its claim holds (expires if that instance dies);
    # after a failed run, when it may be tried again.
    Column("claimed_until", DateTime, nullable=True),
    UniqueConstraint("user_id", "key", name="uq_reminders_user_key"),
    Index("ix_reminders_unsent_due", "sent_at", "due_at"),
)

# Users who agreed to be on the waiting list of one of the operator's offers.
waitlist = Table(
    "waitlist",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("offer_key", String(40), nullable=False),
    _user_id(),
    Column("name", String(120), nullable=False),
    Column("language", String(8), nullable=False),
    Column("joined_at", DateTime, nullable=False),
    UniqueConstraint("offer_key", "user_id", name="uq_waitlist_offer_user"),
)

# Which steps users reach, for the coaches' analytics: never what anybody typed. Kept for
# STEP_HISTORY_DAYS, then pruned.
step_history = Table(
    "step_history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _user_id(),
    Column("dialog", String(40), nullable=False),
    Column("state", String(60), nullable=False),
    Column("input_kind", String(16), nullable=False),  # command | text | tap | due | …
    # What the step's `stats:` names (e.g. "silence/2": which exit line was shown): our own ids
    # and numbers, never what a user typed. Null for most steps.
    Column("choice", String(64), nullable=True),
    Column("at", DateTime, nullable=False),
    Index("ix_step_history_at", "at"),
    Index("ix_step_history_user", "user_id"),
)

# Telegram updates, kept before Telegram is told they arrived (bot/telegram/inbox.py) and marked
# once applied: a row an update id. The update itself (`payload`) is kept only until it is
# applied; the id stays for as long as Telegram could deliver the update again (pruned after two
# days), so a redelivery is recognised. `user_id`: whose updates must be applied in order.
inbox = Table(
    "inbox",
    metadata,
    Column("update_id", BigInteger, primary_key=True, autoincrement=False),
    Column("user_id", BigInteger, nullable=False),
    Column("payload", Text, nullable=True),
    Column("kept_by", String(32), nullable=True),  # the instance that took it from Telegram
    Column("received_at", DateTime, nullable=False),
    Column("applied_at", DateTime, nullable=True),
    Index("ix_inbox_user_waiting", "user_id", "applied_at"),
    Index("ix_inbox_received", "received_at"),
)

# Users who erased their data, and the update that did it: an update of theirs older than that,
# delivered again, must not bring them back. Ids only, pruned with the inbox.
erasures = Table(
    "erasures",
    metadata,
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("update_id", BigInteger, nullable=False),
    Column("at", DateTime, nullable=False),
)

# Replies and reminders rendered and committed with the turn that made them, waiting to be sent
# (bot/outbox.py): a message a row, sent per user in `id` order and deleted once Telegram took
# it. No foreign key to `users`: the goodbye of a user who just erased their data is still sent.
outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", BigInteger, nullable=False),  # the private chat it goes to
    Column("kind", String(16), nullable=False),  # reply (to what the user did) | reminder
    Column("message", Text, nullable=False),  # bot.engine.io.message_to_dict as JSON
    Column("tapped_message_id", BigInteger, nullable=True),  # what an `edit` message replaces
    # A picture drawn after the commit (the journal chart) is not there yet: the row waits.
    Column("file_pending", Boolean, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("not_before", DateTime, nullable=False),  # after a failed attempt: when to try again
    Column("attempts", Integer, nullable=False),
    # While one instance sends it: until when its claim holds (expires if that instance dies).
    Column("claimed_until", DateTime, nullable=True),
    Column("claimed_by", String(32), nullable=True),
    Index("ix_outbox_user", "user_id", "id"),
    Index("ix_outbox_due", "not_before"),
)

# The instances running now (several share one PostgreSQL database and one bot token): each
# writes `seen_at` every few seconds (bot/presence.py); one not seen for a while is gone. The
# count of live ones divides Telegram's budget of messages per second between them.
instances = Table(
    "instances",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("seen_at", DateTime, nullable=False),
)
