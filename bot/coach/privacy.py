"""/export and /delete: all of a user's data as a JSON document, and erasing it all."""

from __future__ import annotations

import json
from dataclasses import dataclass

from bot.coach.journal import journal_of
from bot.engine.domain import Attachment, Domain, StepContext


@dataclass(frozen=True)
class EraseUser:
    """A record for the store: delete the user's row, and with it every row about them."""


def privacy_domain() -> Domain:
    def export(ctx: StepContext) -> None:
        session = ctx.session
        document = {
            "exported_at": ctx.now.isoformat(),
            "user_id": session.user_id,
            "language": session.language,
            "timezone": session.timezone,
            "profile": session.profile.model_dump(mode="json"),
            **journal_of(ctx).export(),
        }
        payload = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
        ctx.attachments.append(Attachment(payload, "exit-coach-export.json", kind="document"))

    def erase(ctx: StepContext) -> None:
        ctx.records.append(EraseUser())

    return Domain(effects={"export_data": export, "erase_all_data": erase})
