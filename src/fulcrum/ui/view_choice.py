"""The lens and method pickers (`l`, `m`): choosing how the backlog is seen, not what it holds.

Which methods the file cannot use yet is checked in a worker (a RICE check on 10,000 items is
slower than a frame); the picker opens at once and marks them when the answer arrives, unless the
backlog, lens or method changed meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from fulcrum.backlog import Backlog
from fulcrum.scoring import ScoringError
from fulcrum.ui.methods import MethodsChecked, lens_options, method_options, method_problems
from fulcrum.ui.screens.picker import PickerScreen

if TYPE_CHECKING:
    from fulcrum.ui.app import FulcrumApp


class ViewChoice:
    """The app's lens and method choices (composition: the app's actions call these)."""

    def __init__(self, app: FulcrumApp) -> None:
        self.app = app
        self.method_problems: tuple[tuple[Backlog, str, str] | None, dict[str, str]] = (None, {})
        """(backlog, lens, method) checked, and the problems of each method then."""

    def pick_lens(self) -> None:
        app = self.app
        options = lens_options(app.session.backlog)
        app.push_screen(PickerScreen("Lens: whose point of view?", options, app.session.lens), self.set_lens)

    def set_lens(self, lens: str | None) -> None:
        app = self.app
        if lens is not None and lens != app.session.lens:
            self.change(lambda: app.session.set_lens(lens), "Lens: " + lens)
            note = app.session.ranking.no_price_note
            if note:
                app.notify(note[0].upper() + note[1:] + ".", title="Every item is worth 0", markup=False)

    def pick_method(self) -> None:
        """The method picker; which methods the file cannot use yet is checked in a worker."""
        s = self.app.session
        checked, problems_then = self.method_problems
        problems = problems_then if self.is_current(checked) else None
        options, unusable = method_options(s.backlog, s.method, problems)
        picker = PickerScreen("Scoring method", options, s.method, unusable, kind="method")
        self.app.push_screen(picker, self.set_method)
        if problems is None:
            self.app.run_worker(
                partial(self._check, s.backlog, s.lens, s.method),
                thread=True,
                exclusive=True,
                group="methods",
                exit_on_error=False,
                description="methods",
            )

    def _check(self, backlog: Backlog, lens: str, method: str) -> None:
        self.app.post_message(MethodsChecked((backlog, lens, method), method_problems(backlog, lens, method)))

    def checked(self, checked: MethodsChecked) -> None:
        """A check arrived: keep it, and mark the open picker when it is still about what is shown."""
        self.method_problems = (checked.key, checked.problems)
        s = self.app.session
        screen = self.app.screen
        if self.is_current(checked.key) and isinstance(screen, PickerScreen) and screen.kind == "method":
            screen.set_options(*method_options(s.backlog, s.method, checked.problems))

    def is_current(self, key: tuple[Backlog, str, str] | None) -> bool:
        """``key`` is (this very backlog, the lens, the method) shown now (identity: no deep ==)."""
        s = self.app.session
        return key is not None and key[0] is s.backlog and key[1:] == (s.lens, s.method)

    def set_method(self, method: str | None) -> None:
        app = self.app
        if method is not None and method != app.session.method:
            self.change(lambda: app.session.set_method(method), "Method: " + method)

    def change(self, change: Callable[[], None], message: str) -> None:
        try:
            change()
        except ScoringError as exc:
            self.app.notify(str(exc), title="Cannot re-rank", severity="error", markup=False)
            return
        self.app.changed(message)
