"""The yearly networking plan: one row per user and year, saved again as a whole when /plan is
done again. Apart from the events because a plan is about a year, not about any one event."""

from __future__ import annotations

import json

from sqlalchemy import Connection, delete, insert, select

from bot.coach.journal import YearPlan
from bot.store.reminders import from_db, to_db
from bot.store.schema import year_plans


def save_plan(connection: Connection, user_id: int, plan: YearPlan) -> None:
    """One plan per year: saving again replaces that year's plan."""
    connection.execute(
        delete(year_plans).where(year_plans.c.user_id == user_id, year_plans.c.year == plan.year)
    )
    connection.execute(
        insert(year_plans).values(
            user_id=user_id,
            year=plan.year,
            contacts=plan.contacts,
            places=plan.places,
            networks=json.dumps(plan.networks, ensure_ascii=False),
            topics=plan.topics,
            events_per_month=plan.events_per_month,
            tryouts_per_quarter=plan.tryouts_per_quarter,
            hours_per_month=plan.hours_per_month,
            saved_at=to_db(plan.saved_at),
        )
    )


def all_plans(connection: Connection, user_id: int) -> list[YearPlan]:
    """Every plan of the user, the latest year first."""
    return [
        YearPlan(
            year=row.year,
            contacts=row.contacts,
            places=row.places,
            networks=json.loads(row.networks),
            topics=row.topics,
            events_per_month=row.events_per_month,
            tryouts_per_quarter=row.tryouts_per_quarter,
            hours_per_month=row.hours_per_month,
            saved_at=from_db(row.saved_at),
        )
        for row in connection.execute(
            select(year_plans)
            .where(year_plans.c.user_id == user_id)
            .order_by(year_plans.c.year.desc())
        )
    ]


def latest_plan(connection: Connection, user_id: int) -> YearPlan | None:
    """The plan for the latest year planned."""
    row = connection.execute(
        select(year_plans.c.year)
        .where(year_plans.c.user_id == user_id)
        .order_by(year_plans.c.year.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    return next(plan for plan in all_plans(connection, user_id) if plan.year == row.year)
