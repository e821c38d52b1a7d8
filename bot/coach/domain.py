"""Everything the coach adds to the engine, gathered in one place for the composition root."""

from __future__ import annotations

from pathlib import Path

from bot.coach.exit_coach import exit_domain
from bot.coach.exit_lines import ExitLibrary
from bot.coach.profile import profile_domain
from bot.engine.domain import Domain


def merge(*domains: Domain) -> Domain:
    """One Domain from several; a name defined twice is a programming error."""
    merged = Domain()
    for domain in domains:
        for attr in ("effects", "conditions", "views", "option_providers"):
            target, source = getattr(merged, attr), getattr(domain, attr)
            clash = set(target) & set(source)
            if clash:
                raise ValueError(f"{attr} defined twice: {sorted(clash)}")
            target.update(source)
    return merged


def coach_domain(prompts_dir: Path, languages: tuple[str, ...]) -> Domain:
    return merge(profile_domain(), exit_domain(ExitLibrary(prompts_dir, languages)))
