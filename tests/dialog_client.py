"""The transcript client (bot/authoring/client.py) plus shortcuts that tests share."""

from __future__ import annotations

from bot.authoring.client import TranscriptClient


class DialogClient(TranscriptClient):
    async def onboard(
        self, name: str = "Ada", business: str = "Coaching", goal: str = "Exchange with peers"
    ) -> None:
        """/start through the end of onboarding, in English."""
        await self.send("/start")
        await self.tap("English")
        await self.send(name)
        await self.send(business)
        await self.tap(goal)
        await self.tap("Done")

    async def prepare(self, name: str = "Retail Meetup", starts: str = "tomorrow 6:30pm") -> None:
        """/prepare an event in person (2 hours, no network), answering the quickest way."""
        await self.send("/prepare")
        await self.send(name)
        for label in (
            "In person",
            "Yes",
            "Yes",
            "Win customers",
            "3",
            "Skip",
            "Skip",
            "Use this",
            "Different world",
            "Awkward silence",
            "Done",
        ):
            await self.tap(label)
        await self.tap("Skip")
        await self.send(starts)
        await self.send("2h")
        await self.tap("That's right")
        assert "Saved" in self.text, self.text
        await self.tap("All set")

    async def followup(
        self, name: str = "Ben", topic: str = "pricing", channel: str = "Email"
    ) -> None:
        """/followup up to the draft (no place, nothing to give)."""
        await self.send("/followup")
        await self.send(name)
        await self.tap("Formal")
        await self.tap("Skip")
        await self.send(topic)
        await self.tap("Skip")
        await self.tap(channel)
