"""`fulcrum matrix FILE`: chart, legend and off-chart list; sizes; colour rules; hostile titles
printed literally; bad input is a message and exit 2, never a traceback.

The golden output and legend order; a lens (CFO: `b` goes off the chart as negative); the default
size from COLUMNS/LINES, and a ceiling on every size; colour only on a TTY without NO_COLOR (same
text either way); hostile titles (`[/bad] x`, `[@click=app.quit]quit[/]`, `[TODO] Q3`, a literal
`\\x1b[31m`, `%s {0} $(rm -rf /)`, CJK and emoji, a very long title) printed literally and cut by
terminal cells; the example backlog; bad options and a bad file.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ANSI = re.compile(r"\x1b\[[0-9;]*m")

HOSTILE = """\
[backlog]
title = "[/bad] Hostile [@click=app.quit]quit[/] 漢字"

[metrics.revenue]
label = "[red]Revenue[/red]"
value_per_unit = 1.0

[[items]]
id = "markup"
title = "[/bad] x"
effort = 1
[items.impact]
revenue = 50_000

[[items]]
id = "click"
title = "[@click=app.quit]quit[/]"
effort = 3
needs = ["a", "b"]
[items.impact]
revenue = 400_000

[[items]]
id = "todo"
title = "[TODO] Q3"
effort = 0.5
[items.impact]
revenue = 3_000

[[items]]
id = "wide"
title = "全角の非常に長いタイトル 🚀 %s {0} $(rm -rf /)"
effort = 2
[items.impact]
revenue = 20_000

[[items]]
id = "a-very-long-identifier-that-goes-on"
title = "LONG TITLE START {}"
effort = 8
[items.impact]
revenue = 1_200_000

[[items]]
id = "costly"
title = "Costs money \\\\x1b[31m [b]not bold[/b]"
effort = 2
[items.impact]
revenue = -30_000
"""


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.toml"
    path.write_text(HOSTILE.replace("LONG TITLE START {}", "Long " + "and on " * 25), encoding="utf-8")
    return path


def chart_lines(out: str) -> list[str]:
    """The chart's lines: from the top frame to the x label."""
    lines = out.split("\n")
    top = next(i for i, line in enumerate(lines) if "┌" in line)
    end = next(i for i, line in enumerate(lines) if "feasibility →" in line)
    return lines[top : end + 1]


def test_golden_prints_chart_then_legend(cli, golden_toml) -> None:
    code, out, err = cli("matrix", golden_toml, "--width", "100", "--height", "30")
    assert code == 0 and err == ""
    assert out.startswith("Golden example · lens everyone")
    lines = chart_lines(out)
    assert len(lines) == 30 and max(len(line) for line in lines) <= 100
    chart = "\n".join(lines)
    for name in ("Quick wins", "Big bets", "Fill-ins", "Money pits"):
        assert name in chart
    legend = out.split("feasibility →", 1)[1]
    # Best rank first, with quadrant, value per year, feasibility and the title.
    rows = [line.split() for line in legend.splitlines() if line.startswith("  ") and "/yr" in line]
    assert [r[0] for r in rows] == ["a", "c", "d", "g", "b"]
    assert rows[0][:5] == ["a", "Quick", "win", "$36k/yr", "0.84"]
    assert "Cheap cloud saving" in legend
    assert "Lines: value $36k/yr (the median item value), feasibility 0.50." in legend
    assert "2 done or dropped items not shown." in legend
    assert not ANSI.search(out)  # capsys is not a terminal


def test_lens_changes_values(cli, golden_toml) -> None:
    code, out, _ = cli("matrix", golden_toml, "--lens", "cfo", "--width", "100", "--height", "20")
    assert code == 0 and "lens cfo" in out
    # Under the CFO's lens only cloud cost counts: b adds cloud cost, so it is off the chart.
    off = out.split("Not on the chart", 1)[1]
    assert re.search(r"^\s+b\s+.*-\$5k/yr.*\(negative\)$", off, re.M)


def test_default_size_follows_the_terminal(cli, golden_toml, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("LINES", "40")
    code, out, _ = cli("matrix", golden_toml)
    assert code == 0
    lines = chart_lines(out)
    assert max(len(line) for line in lines) == 120
    assert len(out.rstrip("\n").split("\n")) <= 40 - 1  # the whole output fits, prompt included


def test_colour_only_on_a_terminal_without_no_color(golden_toml, monkeypatch, capsys) -> None:
    from fulcrum.cli import main

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert main(["matrix", str(golden_toml), "--width", "80", "--height", "20"]) == 0
    coloured = capsys.readouterr().out
    assert ANSI.search(coloured)
    monkeypatch.setenv("NO_COLOR", "1")
    assert main(["matrix", str(golden_toml), "--width", "80", "--height", "20"]) == 0
    plain = capsys.readouterr().out
    assert not ANSI.search(plain)
    assert ANSI.sub("", coloured) == plain  # the same chart, only uncoloured


def test_hostile_titles_print_literally(cli, hostile) -> None:
    code, out, err = cli("matrix", hostile, "--width", "200", "--height", "24")
    assert code == 0 and err == ""
    for title in (
        "[/bad] x",
        "[@click=app.quit]quit[/]",
        "[TODO] Q3",
        "全角の非常に長いタイトル 🚀 %s {0} $(rm -rf /)",
    ):
        assert title in out
    assert "Costs money \\x1b[31m [b]not bold[/b] (negative)" in out
    assert "\x1b" not in out
    assert "a-very-long…" in "\n".join(chart_lines(out))  # the long id is cut on the chart
    assert "  a-very-long…  Big bet" in out  # and the legend keys it the same way


def test_long_and_wide_titles_are_cut_to_the_width(cli, hostile) -> None:
    code, out, _ = cli("matrix", hostile, "--width", "60", "--height", "16")
    assert code == 0
    legend = out.split("feasibility →", 1)[1]
    long_row = next(line for line in legend.splitlines() if "Long and on" in line)
    assert long_row.endswith("…") and len(long_row) <= 60
    wide_row = next(line for line in legend.splitlines() if line.lstrip().startswith("wide"))
    # Wide characters take two cells each: the row fits 60 cells, not 60 characters.
    cells = sum(2 if "\u3000" <= ch <= "\u9fff" or ch == "🚀" else 1 for ch in wide_row)
    assert cells <= 60


def test_example_backlog(cli, example_toml) -> None:
    if not example_toml.exists():
        pytest.skip("backlog.example.toml not written yet")
    code, out, err = cli("matrix", example_toml, "--width", "80", "--height", "24")
    assert code == 0 and err == ""
    assert "Quick wins" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lens", "nobody"], "unknown lens 'nobody'"),
        (["--width", "10"], "must be at least 40"),
        (["--height", "x"], "is not a whole number"),
        (["--method", "rice"], "needs fields"),
    ],
)
def test_bad_options_exit_2_with_a_message(cli, golden_toml, args, message) -> None:
    code, _, err = cli("matrix", golden_toml, *args)
    assert code == 2 and message in err and "Traceback" not in err


def test_bad_file_exits_2_naming_the_problem(cli, tmp_path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[backlog]\ntitle = "x"\n[[items]]\nid = "a"\ntitle = "A"\neffort = -1\n')
    code, out, err = cli("matrix", bad)
    assert code == 2 and out == ""
    assert "bad.toml:6" in err and "effort" in err and "Traceback" not in err
    code, _, err = cli("matrix", tmp_path / "missing.toml")
    assert code == 2 and "missing.toml" in err


# --- the chart's size has a ceiling ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--width", "1001"], "argument --width: must be at most 1000, got 1001"),
        (["--height", "501"], "argument --height: must be at most 500, got 501"),
    ],
)
def test_matrix_refuses_huge_sizes(cli, golden_toml, args, message) -> None:
    code, out, err = cli("matrix", golden_toml, *args)
    assert (code, out) == (2, "")
    assert message in err and "Traceback" not in err


def test_matrix_largest_size_is_accepted(cli, golden_toml) -> None:
    code, out, _ = cli("matrix", golden_toml, "--width", "1000", "--height", "40")
    assert code == 0
    assert max(len(line) for line in out.splitlines()) == 1000


class _Built(Exception):
    pass


def test_matrix_clamps_a_huge_terminal(monkeypatch, golden_toml) -> None:
    import os
    import shutil

    import fulcrum.output
    from fulcrum.backlog import load_backlog
    from fulcrum.commands.matrix import MAX_HEIGHT, MAX_WIDTH, render
    from fulcrum.scoring import score_backlog

    sizes: list[tuple[int, int]] = []

    def spy(ranking, width, height, **kw):  # record the size asked for; drawing it is not the point
        sizes.append((width, height))
        raise _Built

    monkeypatch.setattr(
        shutil, "get_terminal_size", lambda fallback=(80, 24): os.terminal_size((10**5, 10**5))
    )
    monkeypatch.setattr(fulcrum.output, "build", spy)
    chart = fulcrum.output.chart_input(score_backlog(load_backlog(golden_toml)))
    for width, height in [(None, None), (10**5, 10**5)]:
        with pytest.raises(_Built):
            render(chart, width, height, color=False)
    assert sizes == [(MAX_WIDTH, MAX_HEIGHT), (MAX_WIDTH, MAX_HEIGHT)]


def test_the_smallest_plotted_value_is_in_the_backlogs_currency(cli, tmp_path) -> None:
    """The log scale starts at 1 of the currency: an EUR backlog reads €1/yr, never $1/yr."""
    from backlogs import HEAD, item

    text = HEAD.replace("[backlog]\n", '[backlog]\ncurrency = "EUR"\n', 1)
    text += item("lost", extra="impact = { revenue = -5 }") + item("tiny", extra="impact = { revenue = 0.5 }")
    path = tmp_path / "eur.toml"
    path.write_text(text, encoding="utf-8")
    code, out, _ = cli("matrix", path, "--width", "100", "--height", "14")
    assert code == 0
    assert "No item is worth €1/yr or more: nothing to plot." in out
    assert "Not on the chart (the log scale shows values of €1/yr or more):" in out
    assert "(under €1/yr)" in out and "$" not in out


def test_a_lens_with_no_price_says_so_as_rank_does(cli, example_toml) -> None:
    code, out, err = cli("matrix", example_toml, "--lens", "support", "--width", "80", "--height", "20")
    assert code == 0 and "lens support" in out
    note = "fulcrum: none of support's metrics has a price: set value_per_unit on ticket_minutes\n"
    assert err == note
    assert cli("rank", example_toml, "--lens", "support")[2] == note
