"""The transcript client (bot/testkit/client.py) plus shortcuts that tests share."""

from __future__ import annotations

from bot.engine.io import Reply
from bot.testkit.client import (
    FILL_IN_LIMIT,
    NoSuchButton,
    TranscriptClient,
    asked_again,
    first_answer,
)


class DialogClient(TranscriptClient):
    """`tap_through`/`send_through` are for tests that pass through a journey on their way to
    what they test: a step they do not know (one a coach added) gets its first answer."""

    async def tap_through(self, label: str) -> Reply:
        for _ in range(FILL_IN_LIMIT):
            try:
                return await self.tap(label)
            except NoSuchButton:
                await self._answer_unknown_step()
        return await self.tap(label)

    async def send_through(self, text: str) -> Reply:
        reply = await self.send(text)
        for _ in range(FILL_IN_LIMIT):
            if not asked_again(reply):
                break
            await self._answer_unknown_step()
            reply = await self.send(text)
        return reply

    async def _answer_unknown_step(self) -> None:
        reply = self.replies[-1] if self.replies else Reply()
        data = first_answer(b.data for m in reply.messages for row in m.buttons for b in row)
        if data is None:
            raise NoSuchButton("(any answer)", reply)
        await self.tap_data(data)

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
        await self.tap("Berlin / Central Europe")  # where the user is: asked in English

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
            "Skip",  # the ideas for what to give
            "Use this",
            "Different world",
            "Awkward silence",
            "Done",
        ):
            await self.tap_through(label)
        await self.tap_through("Skip")
        await self.send_through(starts)
        await self.send_through("2h")
        await self.tap_through("That's right")
        assert "Saved" in self.text, self.text
        await self.tap("All set")

    async def followup(
        self, name: str = "Ben", topic: str = "pricing", channel: str = "Email"
    ) -> None:
        """/followup up to the draft (formal, "Mr", no place, nothing to give, none of the
        ideas offered for that)."""
        await self.send("/followup")
        await self.send(name)
        await self.tap("Formal")
        await self.tap("Mr")
        await self.tap("Skip")
        await self.send(topic)
        await self.tap("Skip")
        await self.tap("Skip")
        await self.tap(channel)
