"""The mix of events over time (COACHING.md §1): goal events, conscious try-outs and skipped
ones. Trying something unknown now and then is fine; when try-outs take over, too much time goes
missing from the business, and /journal says so kindly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.coach.journal import JournalRecords

MIX_PERIOD = timedelta(days=365)  # the last 12 months (and what is already planned)
TRYOUT_SHARE = 1 / 3  # more than a third of the events one goes to are try-outs: too many
FEWEST_FOR_WARNING = 3  # two events say little about a mix


@dataclass(frozen=True)
class Mix:
    goal_events: int
    tryouts: int
    skipped: int

    @property
    def attended(self) -> int:
        """Events the user went (or plans to go) to."""
        return self.goal_events + self.tryouts

    @property
    def total(self) -> int:
        return self.attended + self.skipped

    @property
    def tryouts_take_over(self) -> bool:
        """More than a third of the attended events are try-outs (from three events on)."""
        return self.attended >= FEWEST_FOR_WARNING and self.tryouts > self.attended * TRYOUT_SHARE


def event_mix(records: JournalRecords, now: datetime) -> Mix:
    counts = records.event_mix(now - MIX_PERIOD)
    return Mix(counts.goal_events, counts.tryouts, counts.skipped)
