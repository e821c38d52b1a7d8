"""The operator's own offers (an optional YAML file): events and programmes the bot recommends
where they fit, at most once per journey, with a waitlist a user joins only by explicit consent.

A listed event can also be opened by a deep link, `https://t.me/<bot>?start=<key>`, which starts
/prepare filled in with its name, time and network.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.coach.policy import CoachPolicy
from bot.coach.timing import show_when
from bot.engine.domain import Domain, StepContext
from bot.engine.errors import ContentError
from bot.engine.session import START_PAYLOAD_KEY

LOW_USEFULNESS = 2  # a reflection this low suggests looking at other formats


class Offer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str = Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")  # also the deep-link payload
    kind: Literal["event", "programme"]
    title: dict[str, str]  # per language
    description: dict[str, str]
    starts_at: datetime | None = None  # events: when (with its UTC offset)
    duration_minutes: int | None = None
    network: str | None = None
    online: bool | None = None  # events: online or in person (None: /prepare asks)
    goals: list[str] = Field(default_factory=list)  # where it fits; empty: any goal
    waitlist: bool = False


class OfferCatalogue(BaseModel):
    offers: list[Offer] = Field(default_factory=list)

    def get(self, key: str | None) -> Offer | None:
        return next((offer for offer in self.offers if offer.key == key), None)


@dataclass(frozen=True)
class JoinWaitlist:
    """A record for the store: this user agreed to be on the waitlist of `offer_key`."""

    offer_key: str
    name: str
    language: str


def load_offers(path: Path | None, languages: tuple[str, ...]) -> OfferCatalogue:
    if path is None:
        return OfferCatalogue()
    try:
        catalogue = OfferCatalogue.model_validate(yaml.safe_load(path.read_text("utf-8")) or {})
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise ContentError(f"{path}: {exc}") from exc
    for offer in catalogue.offers:
        for field in ("title", "description"):
            missing = set(languages) - set(getattr(offer, field))
            if missing:
                raise ContentError(f"{path}: offer '{offer.key}' has no {field} in {missing}")
        if offer.kind == "event" and (offer.starts_at is None or offer.starts_at.tzinfo is None):
            raise ContentError(f"{path}: event '{offer.key}' needs starts_at with a time zone")
    return catalogue


def offers_domain(catalogue: OfferCatalogue, policy: CoachPolicy) -> Domain:
    def fitting(ctx: StepContext) -> Offer | None:
        """An offer for this user now: matching a goal, an event not yet over."""
        goals = set(ctx.session.profile.goals) | {ctx.answers.get("goal")}
        for offer in catalogue.offers:
            if offer.starts_at is not None and offer.starts_at <= ctx.now:
                continue
            if not offer.goals or goals & set(offer.goals):
                return offer
        return None

    def offer_fits(ctx: StepContext) -> bool:
        return fitting(ctx) is not None

    def low_value_offer_fits(ctx: StepContext) -> bool:
        usefulness = int(ctx.answers.get("usefulness") or 5)
        return usefulness <= LOW_USEFULNESS and offer_fits(ctx)

    def choose_offer(ctx: StepContext) -> None:
        offer = fitting(ctx)
        if offer is not None:
            ctx.answers["offer_key"] = offer.key

    def offer_view(ctx: StepContext) -> dict[str, Any]:
        offer = catalogue.get(ctx.answers.get("offer_key"))
        if offer is None:
            return {"offer": None}
        return {
            "offer": offer,
            "title": offer.title[ctx.lang],
            "description": offer.description[ctx.lang],
            "starts": show_when(offer.starts_at, ctx, policy) if offer.starts_at else None,
        }

    def has_payload(ctx: StepContext) -> bool:
        return catalogue.get(ctx.session.data.get(START_PAYLOAD_KEY)) is not None

    def take_payload(ctx: StepContext) -> None:
        """Fill /prepare with the listed event the deep link named (used once)."""
        offer = catalogue.get(ctx.session.data.pop(START_PAYLOAD_KEY, None))
        if offer is None or offer.starts_at is None:
            return
        ctx.answers.update(
            name=offer.title[ctx.lang],
            network=offer.network,
            starts_at=offer.starts_at.astimezone(UTC).isoformat(),
            duration=offer.duration_minutes or 90,
            prefilled=True,
            offer_key=offer.key,
        )
        if offer.online is not None:
            ctx.answers.update(online="online" if offer.online else "in_person", online_given=True)

    def prefilled(ctx: StepContext) -> bool:
        return bool(ctx.answers.get("prefilled"))

    def join_waitlist(ctx: StepContext) -> None:
        offer = catalogue.get(ctx.answers.get("offer_key"))
        if offer is not None and offer.waitlist:
            name = ctx.session.profile.name or ""
            ctx.records.append(JoinWaitlist(offer.key, name, ctx.lang))

    def has_waitlist(ctx: StepContext) -> bool:
        offer = catalogue.get(ctx.answers.get("offer_key"))
        return offer is not None and offer.waitlist

    return Domain(
        effects={
            "take_start_payload": take_payload,
            "join_waitlist": join_waitlist,
            "choose_offer": choose_offer,
        },
        conditions={
            "offer_fits": offer_fits,
            "low_value_offer_fits": low_value_offer_fits,
            "has_start_payload": has_payload,
            "event_prefilled": prefilled,
            "offer_has_waitlist": has_waitlist,
        },
        views={"offer": offer_view},
    )
