"""The matrix labels every point that has room, not only the top few (issue 11): on a chart big
enough for all of them every plotted point gets its label, and `fulcrum matrix` lists each one."""

from __future__ import annotations

from fulcrum.backlog import load_backlog
from fulcrum.output import build
from fulcrum.scoring import score_backlog


def test_every_point_with_room_is_labelled(example_toml) -> None:
    m = build(score_backlog(load_backlog(example_toml)), 200, 60)
    assert len(m.points) > 10
    assert {lb.item_id for lb in m.labels} == {p.id for p in m.points}


def test_a_cap_still_caps(example_toml) -> None:
    m = build(score_backlog(load_backlog(example_toml)), 200, 60, max_labels=3)
    assert len(m.labels) == 3


def test_the_command_lists_every_labelled_point(cli, example_toml) -> None:
    code, out, _ = cli("matrix", str(example_toml), "--width", "200", "--height", "60")
    assert code == 0
    legend = out.split("  id ", 1)[1].split("Lines:", 1)[0]
    ranked = score_backlog(load_backlog(example_toml)).ranked
    plotted = [s for s in ranked if s.value >= 1]
    assert len(legend.strip().splitlines()) - 1 == len(plotted) > 10
