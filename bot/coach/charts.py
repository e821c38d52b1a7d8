"""The journal's picture: usefulness per network, and confidence before vs. after each event.

matplotlib with the Agg backend (no display needed), rendered to PNG bytes in memory.
"""

from __future__ import annotations

import io
from statistics import mean

import matplotlib

matplotlib.use("Agg")
from matplotlib import pyplot as plt  # noqa: E402 - the backend must be chosen first

from bot.coach.journal import Journal  # noqa: E402

MIN_EVENTS = 3  # fewer points make no trend worth a picture


def journal_chart(journal: Journal, titles: dict[str, str]) -> bytes | None:
    """A PNG with two panels, or None while there are fewer than MIN_EVENTS events."""
    reflected = sorted((e for e in journal.events if e.reflection), key=lambda e: e.starts_at)
    if len(journal.events) < MIN_EVENTS or not reflected:
        return None
    networks: dict[str, list[int]] = {}
    for event in reflected:
        assert event.reflection is not None
        networks.setdefault(event.network or titles["no_network"], []).append(
            event.reflection.usefulness
        )
    figure, (left, right) = plt.subplots(1, 2, figsize=(9, 3.6), dpi=100)
    try:
        names = sorted(networks)
        left.barh(names, [mean(networks[name]) for name in names], color="#4c78a8")
        left.set_xlim(0, 5)
        left.set_title(titles["usefulness"])
        positions = range(1, len(reflected) + 1)
        series = {
            "before": ([e.confidence_before for e in reflected], "o--", "#bbbbbb"),
            "after": ([e.reflection.confidence_after if e.reflection else None for e in reflected],
                      "o-", "#f58518"),
        }  # fmt: skip
        for key, (values, style, colour) in series.items():
            points = [v if v is not None else float("nan") for v in values]
            right.plot(positions, points, style, label=titles[key], color=colour)
        right.set_ylim(0.5, 5.5)
        right.set_xticks(list(positions))
        right.set_title(titles["confidence"])
        right.legend(loc="lower right")
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        plt.close(figure)
