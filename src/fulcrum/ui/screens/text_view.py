"""A scrollable text to read (a stakeholder's brief, what changed since the file was loaded), made in
a thread worker and shown when it is ready; ``w`` writes it to a file when the screen allows it.

The text is made by ``produce`` off the UI thread (a brief and a diff each solve the plan); until
it arrives the screen says so and Esc still closes it. The result is posted to this screen only,
so a result that arrives after the screen closed is dropped. User text is shown as a ``Text``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from fulcrum.scoring import ScoringError
from fulcrum.ui.screens.base import ReadyScreen
from fulcrum.ui.screens.prompt import PromptScreen


class TextScreen(ReadyScreen[None]):
    """A title, the text (scrolls with the arrows, PgUp/PgDn), and a line of keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "cancel", "Close", show=False),
        Binding("w", "write", "Write to a file"),
    ]

    class Made(Message):
        """The text, or why there is none."""

        def __init__(self, text: str | None, error: str | None) -> None:
            super().__init__()
            self.text = text
            self.error = error

    class Written(Message):
        def __init__(self, target: Path, error: str | None) -> None:
            super().__init__()
            self.target = target
            self.error = error

    def __init__(
        self,
        title: str,
        produce: Callable[[], str],
        *,
        write_to: Path | None = None,
        protect: Path | None = None,
    ) -> None:
        """``write_to``: the file ``w`` offers (None: no writing); ``protect``: never written over."""
        super().__init__()
        self.title_text = title
        self.produce = produce
        self.write_to = write_to
        self.protect = protect
        self.text: str | None = None
        """The text shown (None until it is made)."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide text-view"):
            yield Static(Text(self.title_text, style="bold"), classes="dialog-title")
            with VerticalScroll(id="text-view-scroll"):
                yield Static(Text("working… (Esc closes)", style="dim"), id="text-view-body")
            keys = (
                "↑ ↓ PgUp PgDn scroll · "
                + ("w writes it to a file · " if self.write_to else "")
                + "Esc closes"
            )
            yield Static(Text(keys, style="dim"), id="text-view-keys")

    def first_focus(self) -> Widget:
        return self.query_one("#text-view-scroll")

    def on_mount(self) -> None:
        self.run_worker(self._make, thread=True, exclusive=True, group="text-view", exit_on_error=False)

    def _make(self) -> None:
        """Off the UI thread: produce the text and post it here."""
        try:
            made = self.Made(self.produce(), None)
        except ScoringError as exc:
            made = self.Made(None, str(exc))
        except Exception as exc:  # a bug must not end the app (and lose unsaved edits)
            made = self.Made(None, f"unexpected error: {exc!r}")
        self.post_message(made)

    def on_text_screen_made(self, made: Made) -> None:
        made.stop()
        body = self.query_one("#text-view-body", Static)
        if made.text is None:
            body.update(Text("Cannot make it: " + (made.error or "unknown error"), style="bold red"))
            return
        self.text = made.text
        body.update(Text(made.text))

    def action_write(self) -> None:
        if self.write_to is None or self.text is None:
            self.app.bell()
            return
        hint = Text(
            "Written atomically; an existing file is replaced. Enter writes, Esc cancels.", style="dim"
        )
        self.app.push_screen(PromptScreen("Write it to", str(self.write_to), hint), self._write)

    def _write(self, answer: str | None) -> None:
        if not answer or self.text is None:
            return
        target = Path(answer).expanduser()
        text = self.text
        self.run_worker(
            lambda: self._write_file(target, text), thread=True, group="text-write", exit_on_error=False
        )

    def _write_file(self, target: Path, text: str) -> None:
        from fulcrum.save import WriteError, write_atomic

        error = None
        try:
            write_atomic(target, text.encode("utf-8"), protect=self.protect)
        except WriteError as exc:
            error = str(exc)
        except Exception as exc:  # a bug must not end the app
            error = f"unexpected error: {exc!r}"
        self.post_message(self.Written(target, error))

    def on_text_screen_written(self, done: Written) -> None:
        done.stop()
        if done.error:
            self.app.notify(done.error, title="Not written", severity="error", markup=False)
        else:
            self.app.notify("Wrote " + str(done.target), markup=False)
