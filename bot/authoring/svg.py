"""A dialog drawn as an SVG picture, in Python alone (no Graphviz binary needed).

Steps are laid out in rows by how many steps they are from the start (a layered layout), so a
coach reads the journey from top to bottom; arrows carry the button or condition that takes
them, back arrows are dashed, the start step has a thick border and final steps a double one.
matplotlib is imported only here, when a picture is asked for.
"""

from __future__ import annotations

import io
from collections import deque
from typing import TYPE_CHECKING

from bot.engine.graph import END, Edge, edges, final_states
from bot.engine.spec import DialogSpec

if TYPE_CHECKING:
    from matplotlib.figure import Figure

ROW_HEIGHT = 1.6
COLUMN_WIDTH = 2.6


def layers(spec: DialogSpec, arrows: list[Edge]) -> dict[str, int]:
    """Each step's distance (in arrows) from the start; the end marker goes below them all."""
    depth = {spec.start: 0}
    todo = deque([spec.start])
    while todo:
        name = todo.popleft()
        for edge in arrows:
            if edge.source == name and edge.target != END and edge.target not in depth:
                depth[edge.target] = depth[name] + 1
                todo.append(edge.target)
    for name in spec.states:  # unreachable steps (check reports them) still get drawn
        depth.setdefault(name, max(depth.values()) + 1)
    if any(edge.target == END for edge in arrows):
        depth[END] = max(depth.values()) + 1
    return depth


def positions(depth: dict[str, int]) -> dict[str, tuple[float, float]]:
    rows: dict[int, list[str]] = {}
    for name, row in depth.items():
        rows.setdefault(row, []).append(name)
    widest = max(len(names) for names in rows.values())
    placed = {}
    for row, names in rows.items():
        offset = (widest - len(names)) * COLUMN_WIDTH / 2
        for column, name in enumerate(names):
            placed[name] = (offset + column * COLUMN_WIDTH, -row * ROW_HEIGHT)
    return placed


def svg(spec: DialogSpec) -> str:
    """The dialog as an SVG document."""
    from matplotlib import rc_context

    buffer = io.StringIO()
    with rc_context({"svg.fonttype": "none"}):  # text stays text: searchable, selectable
        draw(spec).savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def draw(spec: DialogSpec) -> Figure:
    """The picture as a matplotlib figure (pyplot is never involved: no global state)."""
    from matplotlib.figure import Figure  # lazily: only `graph --format svg` draws
    from matplotlib.patches import FancyArrowPatch

    arrows = edges(spec)
    depth = layers(spec, arrows)
    place = positions(depth)
    xs = [x for x, _ in place.values()]
    ys = [y for _, y in place.values()]
    width = max(xs) - min(xs) + COLUMN_WIDTH + 1
    height = max(ys) - min(ys) + ROW_HEIGHT + 1
    figure = Figure(figsize=(max(width, 4) * 1.1, max(height, 3) * 1.1))
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(min(xs) - COLUMN_WIDTH / 2 - 0.2, max(xs) + COLUMN_WIDTH / 2 + 0.2)
    axes.set_ylim(min(ys) - ROW_HEIGHT / 2 - 0.2, max(ys) + ROW_HEIGHT / 2 + 0.4)
    axes.axis("off")
    axes.text(
        min(xs) - COLUMN_WIDTH / 2, max(ys) + ROW_HEIGHT / 2 + 0.2,
        f"{spec.dialog} ({spec.source}): thick border = start, double border = final step, "
        "dashed = back",
        fontsize=9, color="#555555", va="top",
    )  # fmt: skip
    finals = set(final_states(spec))
    for name, (x, y) in place.items():
        if name == END:
            axes.text(
                x, y, "end", ha="center", va="center", fontsize=9, color="white",
                bbox={"boxstyle": "circle", "facecolor": "black"},
            )  # fmt: skip
            continue
        frame = {
            "boxstyle": "round,pad=0.4",
            "facecolor": "#eef4ff" if name == spec.start else "#ffffff",
            "edgecolor": "#1f3b73",
            "linewidth": 2.5 if name == spec.start else 1.0,
        }
        if name in finals:
            frame.update(facecolor="#eaf7ea", edgecolor="#1e6b1e")
        axes.text(x, y, name, ha="center", va="center", fontsize=12, bbox=frame)
        if name in finals:  # the double border of a final step
            axes.text(
                x, y, name, ha="center", va="center", fontsize=12, alpha=0,
                bbox={"boxstyle": "round,pad=0.6", "facecolor": "none",
                      "edgecolor": "#1e6b1e", "linewidth": 1.0},
            )  # fmt: skip
    for edge in arrows:
        start, end = place[edge.source], place[edge.target]
        upwards = end[1] >= start[1]
        arrow = FancyArrowPatch(
            posA=start, posB=end, shrinkA=13, shrinkB=13, arrowstyle="-|>", mutation_scale=12,
            connectionstyle=f"arc3,rad={0.35 if upwards else 0.08}",
            linestyle="--" if edge.kind == "back" else "-", color="#444444", linewidth=0.9,
        )  # fmt: skip
        axes.add_patch(arrow)
        if edge.label:
            share = 0.5 if upwards else 0.4  # nearer the step the arrow leaves
            x = start[0] + (end[0] - start[0]) * share + (0.45 if upwards else 0)
            y = start[1] + (end[1] - start[1]) * share
            axes.text(
                x, y, edge.label, ha="center", va="center", fontsize=9, color="#7a2e00",
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none",
                      "alpha": 0.85},
            )  # fmt: skip
    return figure
