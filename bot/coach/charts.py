"""The journal's picture: usefulness per network, and confidence before vs. after each event.

matplotlib with the Agg backend (no display needed), rendered to PNG bytes in memory.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
from matplotlib import pyplot as plt  # noqa: E402 - the backend must be chosen first

from bot.coach.journal import Event  # noqa: E402

MIN_EVENTS = 3  # fewer points make no trend worth a picture
MAX_NETWORKS = 6  # more lines would not be readable on a phone
MAX_NAME = 24


def journal_chart(
    total_events: int, reflected: list[Event], titles: dict[str, str]
) -> bytes | None:
    """A PNG with two panels from the reflected events (oldest first), or None while the user
    has fewer than MIN_EVENTS events."""
    if total_events < MIN_EVENTS or not reflected:
        return None
    # Each network's usefulness over time: x is the event's place among all reflected events.
    networks: dict[str, list[tuple[int, int]]] = {}
    for position, event in enumerate(reflected, start=1):
        assert event.reflection is not None
        name = (event.network or titles["no_network"])[:MAX_NAME]
        networks.setdefault(name, []).append((position, event.reflection.usefulness))
    figure, (left, right) = plt.subplots(1, 2, figsize=(9, 3.6), dpi=100)
    try:
        shown = sorted(networks, key=lambda name: -len(networks[name]))[:MAX_NETWORKS]
        for name in shown:
            xs, ys = zip(*networks[name], strict=True)
            left.plot(xs, ys, "o-", label=name)
        left.set_ylim(0.5, 5.5)
        left.set_xticks(range(1, len(reflected) + 1))
        left.set_title(titles["usefulness"])
        left.legend(loc="lower left", fontsize="small")
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
