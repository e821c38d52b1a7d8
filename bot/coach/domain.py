"""Everything the coach adds to the engine, gathered in one place for the composition root."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.coach.amounts import amounts_domain
from bot.coach.catch import catch_domain
from bot.coach.event_check import event_check_domain
from bot.coach.events import Render, events_domain
from bot.coach.exit_coach import exit_domain
from bot.coach.exit_lines import ExitLibrary
from bot.coach.followups import followups_domain
from bot.coach.give_ideas import give_ideas_domain
from bot.coach.journal_view import journal_domain
from bot.coach.network_review import network_review_domain
from bot.coach.offers import OfferCatalogue, offers_domain
from bot.coach.own_intro import own_intro_domain
from bot.coach.planning import planning_domain
from bot.coach.policy import CoachPolicy
from bot.coach.preferences import preferences_domain
from bot.coach.privacy import privacy_domain
from bot.coach.privacy_notice import privacy_notice_domain
from bot.coach.profile import profile_domain
from bot.coach.reflection import reflection_domain
from bot.coach.timing import timing_domain
from bot.coach.warm_up import warm_up_domain
from bot.engine.domain import Domain


def merge(*domains: Domain) -> Domain:
    """One Domain from several; a name defined twice is a programming error."""
    merged = Domain()
    for domain in domains:
        for attr in (
            "effects", "conditions", "views", "option_providers", "parsers", "readers", "documents"
        ):
            target, source = getattr(merged, attr), getattr(domain, attr)
            clash = set(target) & set(source)
            if clash:
                raise ValueError(f"{attr} defined twice: {sorted(clash)}")
            target.update(source)
        merged.dialogs |= domain.dialogs
    return merged


def coach_domain(
    prompts_dir: Path,
    languages: tuple[str, ...],
    policy: CoachPolicy,
    labels: Callable[[str, str], str],
    offers: OfferCatalogue | None = None,
    render: Render | None = None,
) -> Domain:
    """`labels(lang, key)` gives words the coach's own output needs (chart titles);
    `render(lang, template, **context)` the texts it puts in files (a calendar entry's)."""
    library = ExitLibrary(prompts_dir, languages)
    return merge(
        profile_domain(),
        exit_domain(library),
        warm_up_domain(library),
        timing_domain(policy),
        amounts_domain(),
        event_check_domain(policy),
        give_ideas_domain(labels),
        own_intro_domain(),
        events_domain(policy, library, render),
        reflection_domain(policy),
        network_review_domain(policy),
        planning_domain(policy),
        followups_domain(policy),
        catch_domain(policy),
        journal_domain(policy, labels),
        preferences_domain(policy),
        offers_domain(offers or OfferCatalogue(), policy),
        privacy_domain(),
        privacy_notice_domain(policy),
    )
