"""`exit-coach stats`: where users go in each dialog and where they stop, from the step history.

The history holds which steps users entered and when (and, for steps with `stats:`, our own ids
such as which exit line was shown), never what anybody typed. A **run** of a dialog starts when
a user enters its first step; it **finished** when it reached a final step; otherwise the last
step it reached is where that user **dropped off** (another dialog in between, such as /exit
during /prepare, does not end it; a button that starts another dialog, as in the menu, finishes
it). Steps are listed in the order of the dialog file.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from bot.engine.spec import DialogSpec
from bot.store.step_stats import StepRow

EXIT_DIALOG, EXIT_LINE_STATE = "exit", "line"


@dataclass
class StepCount:
    users: set[int] = field(default_factory=set)
    runs: int = 0
    dropped: int = 0


@dataclass
class DialogStats:
    name: str
    steps: dict[str, StepCount]
    started_users: set[int] = field(default_factory=set)
    finished_users: set[int] = field(default_factory=set)
    runs: int = 0
    finished_runs: int = 0


@dataclass
class Stats:
    dialogs: dict[str, DialogStats]
    # (situation, line's place in exit_lines.yaml from 1) → times shown; situation → runs
    # that showed one of its lines
    exit_lines: Counter[tuple[str, int]]
    exit_situations: Counter[str]


def compute(rows: Iterable[StepRow], specs: Mapping[str, DialogSpec]) -> Stats:
    """Count steps, runs, finishes and drop-offs. `rows` ordered by user, then time."""
    dialogs: dict[str, DialogStats] = {}
    exit_lines: Counter[tuple[str, int]] = Counter()
    exit_situations: Counter[str] = Counter()
    open_runs: dict[tuple[int, str], list[str]] = {}  # (user, dialog) → states of the open run
    run_situations: dict[tuple[int, str], set[str]] = defaultdict(set)

    def close(user: int, dialog: str, finished: bool) -> None:
        states = open_runs.pop((user, dialog), None)
        if states is None:
            return
        stats = dialogs[dialog]
        stats.runs += 1
        if finished:
            stats.finished_runs += 1
            stats.finished_users.add(user)
        else:
            stats.steps[states[-1]].dropped += 1
        for situation in run_situations.pop((user, dialog), set()):
            exit_situations[situation] += 1

    current_user = None
    for row in rows:
        if row.user_id != current_user:
            for user, dialog in list(open_runs):
                close(user, dialog, finished=False)
            current_user = row.user_id
        for user, dialog in [k for k in open_runs if k[0] == row.user_id and k[1] != row.dialog]:
            if _starts(specs.get(dialog), open_runs[user, dialog][-1], row.dialog):
                close(user, dialog, finished=True)  # a button there led on to this dialog
        spec = specs.get(row.dialog)
        stats = dialogs.setdefault(row.dialog, DialogStats(row.dialog, _steps(spec)))
        key = (row.user_id, row.dialog)
        run = open_runs.get(key)
        if (
            spec is not None
            and row.state == spec.start
            and run
            and not _leads(spec, run[-1], row.state)
        ):
            close(row.user_id, row.dialog, finished=False)  # started again, not looped back
        if key not in open_runs:
            open_runs[key] = []
            stats.started_users.add(row.user_id)
        run = open_runs[key]
        if row.state not in run:
            step = stats.steps.setdefault(row.state, StepCount())
            step.users.add(row.user_id)
            step.runs += 1
        run.append(row.state)
        if row.dialog == EXIT_DIALOG and row.state == EXIT_LINE_STATE and row.choice:
            situation, _, number = row.choice.partition("/")  # the line_id: "leave_polite/2"
            if situation and number.isdigit():
                exit_lines[situation, int(number)] += 1
                run_situations[key].add(situation)
        if spec is not None and row.state in spec.states and spec.states[row.state].final:
            close(row.user_id, row.dialog, finished=True)
    for user, dialog in list(open_runs):
        close(user, dialog, finished=False)
    return Stats(dialogs, exit_lines, exit_situations)


def _leads(spec: DialogSpec, source: str, target: str) -> bool:
    """Whether one step leads straight to the other (next, a button or back)."""
    state = spec.states.get(source)
    if state is None:
        return False
    targets = {r.to for r in state.next} | {r.to for o in state.options for r in o.next}
    return target in targets or state.back == target


def _starts(spec: DialogSpec | None, source: str, dialog: str) -> bool:
    """Whether a button of the step starts `dialog` (the menu's way out, which is no drop-off)."""
    state = spec.states.get(source) if spec else None
    return state is not None and any(option.start == dialog for option in state.options)


def _steps(spec: DialogSpec | None) -> dict[str, StepCount]:
    """The dialog's steps in file order, so every step shows, even one nobody reached."""
    return {name: StepCount() for name in (spec.states if spec else [])}


def table(
    stats: Stats, specs: Mapping[str, DialogSpec], line_names: Mapping[tuple[str, int], str]
) -> str:
    """A plain-text report: one block per dialog, then the exit situations and lines."""
    out: list[str] = []
    for name in _order(stats, specs):
        dialog = stats.dialogs[name]
        started, finished = len(dialog.started_users), len(dialog.finished_users)
        share = f"{finished / started:.0%}" if started else "–"
        gone = "" if name in specs else " (no longer in dialogs/)"
        out.append(
            f"{name}{gone}: {_users(started)} started, {finished} finished ({share}); "
            f"{dialog.runs} runs, {dialog.finished_runs} finished"
        )
        out.append(f"  {'step':<22} {'users':>6} {'runs':>6} {'dropped off':>12}")
        for state, count in dialog.steps.items():
            mark = "" if name not in specs or state in specs[name].states else " (gone)"
            out.append(
                f"  {state + mark:<22} {len(count.users):>6} {count.runs:>6} {count.dropped:>12}"
            )
        out.append("")
    if stats.exit_situations or stats.exit_lines:
        out.append("exit situations (runs of /exit that chose them) and lines (times shown):")
        for situation, runs in stats.exit_situations.most_common():
            out.append(f"  {situation:<24} {runs:>6}")
            for (key, number), shown in sorted(stats.exit_lines.items()):
                if key == situation:
                    label = line_names.get((key, number), "")
                    out.append(f"    line {number:<3} {shown:>12}  {label}")
    return "\n".join(out).rstrip() + "\n"


def _users(count: int) -> str:
    return f"{count} user" if count == 1 else f"{count} users"


def csv_text(stats: Stats, specs: Mapping[str, DialogSpec]) -> str:
    """One row per dialog step, finish count, exit situation and line, for a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["section", "dialog", "step", "users", "runs", "dropped_off"])
    for name in _order(stats, specs):
        dialog = stats.dialogs[name]
        writer.writerow(["started", name, "", len(dialog.started_users), dialog.runs, ""])
        writer.writerow(
            ["finished", name, "", len(dialog.finished_users), dialog.finished_runs, ""]
        )
        for state, count in dialog.steps.items():
            writer.writerow(["step", name, state, len(count.users), count.runs, count.dropped])
    for situation, runs in stats.exit_situations.most_common():
        writer.writerow(["exit_situation", EXIT_DIALOG, situation, "", runs, ""])
    for (situation, number), shown in sorted(stats.exit_lines.items()):
        writer.writerow(["exit_line", EXIT_DIALOG, f"{situation}/{number}", "", shown, ""])
    return buffer.getvalue()


def _order(stats: Stats, specs: Mapping[str, DialogSpec]) -> list[str]:
    """Dialogs most started first; ties by name."""
    return sorted(stats.dialogs, key=lambda n: (-len(stats.dialogs[n].started_users), n))


def funnel_chart(stats: Stats) -> bytes:
    """A PNG: per dialog, how many users reached each step (a funnel, first step on top)."""
    import matplotlib  # late: only this option needs it, and it is slow to import

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    names = [n for n in _order(stats, {}) if any(c.users for c in stats.dialogs[n].steps.values())]
    figure, axes = plt.subplots(
        len(names) or 1,
        1,
        figsize=(8, max(2.5, sum(2 + 0.3 * len(stats.dialogs[n].steps) for n in names))),
        squeeze=False,
    )
    for axis, name in zip(axes[:, 0], names, strict=False):
        steps = [(s, len(c.users)) for s, c in stats.dialogs[name].steps.items()]
        axis.barh([s for s, _ in steps], [n for _, n in steps], color="#4c72b0")
        axis.invert_yaxis()
        axis.set_title(f"{name}: users reaching each step")
        axis.set_xlabel("users")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    plt.close(figure)
    return buffer.getvalue()
