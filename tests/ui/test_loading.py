"""Opening the app on a file read in the loading worker (``FulcrumApp(load=...)``, ``ui.loading``):
the first frame says what is loading and only quit and help work; then the table shows the ranks,
with the snapshot for conflict-checked saves, the startup warning, the watcher and the frozen
GC; a file that cannot be used ends the app with code 2 and ``fulcrum FILE`` prints `check`'s
report once the terminal is restored."""

from __future__ import annotations

import gc
import shutil
import threading
from pathlib import Path
from typing import Any

from textual.app import App

from fulcrum.backlog import BacklogError, Problem
from fulcrum.commands import tui
from fulcrum.save import read_snapshot
from fulcrum.ui.app import FulcrumApp
from fulcrum.ui.screens.help import HelpScreen
from fulcrum.ui.widgets.backlog_table import BacklogTable
from pilot_waits import until

SIZE = (80, 24)


class HeldLoader:
    """read_snapshot of a file, held until ``go`` is set (the worker waits; the UI does not)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.go = threading.Event()
        self.started = threading.Event()

    def __call__(self) -> Any:
        self.started.set()
        assert self.go.wait(10)
        return read_snapshot(self.path)


def screen_text(app: App[Any]) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def copy(golden_toml: Path, tmp_path: Path) -> Path:
    path = tmp_path / "b.toml"
    shutil.copyfile(golden_toml, path)
    return path


async def test_the_first_frame_says_what_loads_then_the_table_shows_the_ranks(
    golden_toml: Path, tmp_path: Path
) -> None:
    path = copy(golden_toml, tmp_path)
    loader = HeldLoader(path)
    app = FulcrumApp(path=path, load=loader, watch_interval=60)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, loader.started.is_set)
        text = screen_text(app)
        assert str(app.query_one("#loading").render()) == f"Loading {path}…"
        assert "Loading" in text and "loading…" in text
        assert "reading and checking the file…" in text
        assert not app.query(BacklogTable)
        await pilot.press("e", "s", "l", "slash")  # nothing to act on yet: ignored
        assert len(app.screen_stack) == 1 and not app.ready
        loader.go.set()
        await until(pilot, lambda: app.query(BacklogTable))
        await pilot.pause()
        table = app.query_one(BacklogTable)
        assert table.row_count == len(app.session.ranking.ranked) > 0
        assert app.cursor_id == app.session.ranking.ranked[0].id
        assert "Loading" not in screen_text(app) and "ranked shown" in screen_text(app)
        assert app.files.snapshot is not None and app.files.snapshot.path == path  # safe saves
        assert any(w.group == "watch" for w in app.workers)
        await until(pilot, lambda: app.collector.frozen)  # once the lens rankings are made
        assert gc.get_freeze_count() > 0
        await pilot.press("e")  # the keys work now
        assert app.screen.__class__.__name__ == "EditItemScreen"
    gc.unfreeze()


async def test_help_opens_while_loading_and_the_table_comes_once_it_closes(
    golden_toml: Path, tmp_path: Path
) -> None:
    path = copy(golden_toml, tmp_path)
    loader = HeldLoader(path)
    app = FulcrumApp(path=path, load=loader, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, loader.started.is_set)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        loader.go.set()
        await until(pilot, lambda: app.ready)
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)  # not pulled away from under the reader
        assert "close the help to see the table" in str(
            app.screen_stack[0].query_one("#status-line").render()
        )
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is app.screen_stack[0] and app.query(BacklogTable))
        assert app.query_one(BacklogTable).row_count > 0
    gc.unfreeze()


async def test_q_quits_while_the_file_loads(golden_toml: Path, tmp_path: Path) -> None:
    loader = HeldLoader(copy(golden_toml, tmp_path))
    app = FulcrumApp(path=loader.path, load=loader, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, loader.started.is_set)
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code == 0 and app.load_error is None
        loader.go.set()


async def test_a_file_the_worker_cannot_use_ends_the_app_with_code_2(tmp_path: Path) -> None:
    error = BacklogError([Problem("bad", file="b.toml", line=3)])

    def fail() -> Any:
        raise error

    app = FulcrumApp(path=tmp_path / "b.toml", load=fail, watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.return_code is not None)
    assert app.return_code == 2 and app.load_error is error


async def test_the_startup_warning_when_the_method_cannot_score(tmp_path: Path) -> None:
    path = tmp_path / "rice.toml"
    path.write_text(
        '[backlog]\ntitle = "R"\n\n[scoring]\nmethod = "rice"\n\n[metrics.revenue]\nlabel = "Revenue"\n'
        'unit = "USD"\nvalue_per_unit = 1.0\n\n[[items]]\nid = "a"\ntitle = "A"\neffort = 1\n'
        "[items.impact]\nrevenue = 10\n"
    )
    app = FulcrumApp(path=path, load=lambda: read_snapshot(path), watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.query(BacklogTable))
        await pilot.pause()
        assert app.session.method == "value_density"
        assert any("Cannot score with rice" in n.message for n in app._notifications)
    gc.unfreeze()


def test_fulcrum_file_prints_the_workers_report_after_the_app(cli, tmp_path: Path, monkeypatch) -> None:
    """A file too big to check first is read by the worker: the app ends, then the same report
    as for a file checked before the app starts, whose first line is `check`'s."""
    bad = tmp_path / "bad.toml"
    bad.write_text('[backlog]\ntitle = "x"\n\n[[items]]\nid = "a"\ntitle = "A"\neffort = "two"\n')
    checked_first = cli(bad)
    monkeypatch.setattr(tui, "CHECK_FIRST_BYTES", 0)
    ran: list[FulcrumApp] = []

    def headless(self: FulcrumApp, **options: Any) -> None:
        ran.append(self)
        App.run(self, headless=True, **options)

    monkeypatch.setattr(FulcrumApp, "run", headless)
    code, out, err = cli(bad)
    assert ran and isinstance(ran[0].load_error, BacklogError)  # it went through the app's worker
    assert (code, out, err) == checked_first
    assert code == 2 and err.startswith(f"{bad}:7:1: item 'a' effort:") and "Traceback" not in err
    check_code, _, check_err = cli("check", bad)
    assert (check_code, check_err.splitlines()[0]) == (2, err.splitlines()[0])


def test_the_first_frame_needs_neither_the_models_nor_the_tabs_modules() -> None:
    """What the app imports before its first frame: Textual and the light modules, not pydantic,
    the models, scoring, numpy or plotext (the loading worker imports those after the frame)."""
    import subprocess
    import sys

    code = (
        "import sys, fulcrum.cli, fulcrum.commands.tui, fulcrum.ui.app\n"
        "heavy = ('pydantic', 'fulcrum.backlog', 'fulcrum.scoring', 'numpy', 'plotext', 'highspy')\n"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_fulcrum_demo_shows_its_first_frame_before_the_tabs_help_and_models_are_imported() -> None:
    """``fulcrum --demo`` as run: what is imported when the loading frame is composed (the moment
    the loading worker would start). Neither the tabs' TabbedContent nor the help's DataTable, nor
    importlib.resources (the example is found beside the package), nor the models; then the tabs
    and the help come, and q quits while loading."""
    import subprocess
    import sys

    code = """
import sys
from textual.app import App
from fulcrum import cli
from fulcrum.ui import loading
from fulcrum.ui.app import FulcrumApp

heavy = ('pydantic', 'fulcrum.backlog', 'numpy', 'plotext', 'highspy', 'importlib.resources', 'zipfile',
         'textual.widgets._data_table', 'textual.widgets._tabbed_content', 'fulcrum.ui.screens.help')

def start(app, loader, prepare):  # the first frame is out: report instead of loading
    text = '\\n'.join(strip.text for strip in app.screen._compositor.render_strips())
    print(sorted(m for m in heavy if m in sys.modules), 'Loading the demo backlog' in text)
    app.exit()

loading.start = start
FulcrumApp.run = lambda self, **kw: App.run(self, headless=True, size=(80, 24), **kw)
sys.exit(cli.main(['--demo']))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert (out.returncode, out.stdout.strip()) == (0, "[] True"), out.stderr


async def test_the_tabs_and_the_help_come_once_loaded_from_their_deferred_imports(
    golden_toml: Path, tmp_path: Path
) -> None:
    path = copy(golden_toml, tmp_path)
    app = FulcrumApp(path=path, load=lambda: read_snapshot(path), watch_interval=None)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.ready and app.query("#tabs"))
        await pilot.press("2")
        from textual.widgets import TabbedContent

        assert app.query_one(TabbedContent).active == "matrix"
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
