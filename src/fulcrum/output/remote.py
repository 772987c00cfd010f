"""Slow work in a child process, for the TUI: the Plan tab's plan, the Markdown export and the
Risk tab's analysis.

Building a 10,000-item plan or export, or sampling a 1,000-item one, is seconds of pure Python.
In a thread of the app it holds the GIL, and every key waits its turn; in a child process the
app's thread only waits (which releases the GIL). :func:`run_in_child` starts a new interpreter
running :func:`main` (forking a threaded Textual process is unsafe), writes one request to its
stdin and reads one answer from its stdout:

- a request (:class:`PlanRequest`, :class:`MarkdownRequest`, :class:`RiskRequest`) is the frozen
  backlog as the app holds it (unsaved edits and the picked method included) with the lens and
  options, pickled in frames: the options and the backlog without its items, then the items
  :data:`CHUNK` at a time. One
  pickle of 10,000 items holds the app's GIL for stretches of 30-100 ms; between two frames the
  sending thread lets the UI thread run. The child is started first, so it imports while the
  frames are made, and unpickles each as it comes;
- the answer is what the view shows: a :class:`~fulcrum.plan.PlanOutcome` (the plan's picture, a
  few kilobytes), a :class:`Markdown` (the document's text; the app writes the file, so a stale
  export never writes) or a :class:`~fulcrum.risk.RiskOutcome` (the Risk tab's picture). It is
  unpickled with only those classes allowed. Before it, the child may report progress: records of
  :data:`TICK` and two numbers (steps done, steps in all), which no pickle starts with.

The child computes exactly what :func:`answer` computes in the app's process, so both paths give
equal results (tests compare them). It exits as soon as its stdin closes, so it never outlives
the app, however the app ends; the parent kills it when the request is cancelled (a newer one
replaced it, or the app quits). A child that dies or answers nonsense is a :class:`ChildFailed`
with a message in plain words, never a traceback (its stderr is discarded).
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import pickle
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn

import fulcrum
from fulcrum.backlog import Backlog
from fulcrum.plan import PlanOutcome, plan_for_view
from fulcrum.scoring import ScoringError

#: Backlogs of this many items or more are planned and exported in a child process; smaller ones
#: in the app's thread, where they take well under a second and a child's start-up (~0.5 s of
#: imports) would be most of the wait.
REMOTE_FROM = 2_000
#: Backlogs of this many items or more are analysed for the Risk tab in a child process: the
#: analysis (2,000 samples, 200 re-solves) is seconds from a couple of hundred items, against a
#: child's ~0.5 s start-up, and its pure Python competes with every key for the GIL.
RISK_REMOTE_FROM = 200
#: Seconds between two looks at the cancel flag while the child works.
POLL = 0.05
#: Items per frame of a request: each pickles in a few milliseconds.
CHUNK = 100
PROTOCOL = pickle.HIGHEST_PROTOCOL
#: The first byte of a progress record (a pickle of protocol 2 or more starts with 0x80).
TICK = b"%"
#: A progress record: TICK, then steps done and steps in all, 8 bytes each.
TICK_SIZE = 17
#: The child's command line after the interpreter: ``-P`` keeps the current directory off the
#: path (the child imports the fulcrum on ``PYTHONPATH``, the app's own).
CHILD = ("-P", "-c", "from fulcrum.output.remote import main; main()")


@dataclass(frozen=True)
class PlanRequest:
    """The plan of ``backlog`` under ``lens`` as of ``today``, as the Plan tab shows it."""

    backlog: Backlog
    lens: str | None
    today: date | None
    max_later: int


@dataclass(frozen=True)
class MarkdownRequest:
    """The Markdown plan of ``backlog`` under ``lens`` as of ``today`` (``output.render_markdown``)."""

    backlog: Backlog
    lens: str
    today: date | None = None


@dataclass(frozen=True)
class Markdown:
    """The rendered document, or why there is none."""

    text: str | None
    error: str | None = None


@dataclass(frozen=True)
class RiskRequest:
    """The Risk tab's analysis of ``backlog`` under ``lens`` as of ``today``
    (``fulcrum.risk.risk_outcome``, with the analysis's options)."""

    backlog: Backlog
    lens: str | None
    today: date | None
    max_items: int
    max_questions: int
    samples: int
    plan_samples: int
    seed: int
    top: int


Request = PlanRequest | MarkdownRequest | RiskRequest
if TYPE_CHECKING:  # fulcrum.risk (numpy) is imported only by a risk request
    from fulcrum.risk import Progress, RiskOutcome

    Answer = PlanOutcome | Markdown | RiskOutcome


class Cancelled(Exception):
    """The request was cancelled: its child was killed and nothing is answered."""


class ChildFailed(Exception):
    """The child stopped without an answer (or an unreadable one); the message is for the user."""


def large(backlog: Backlog) -> bool:
    """Worth a child process: the work would hold the app's GIL for a second or more."""
    return len(backlog.items) >= REMOTE_FROM


def large_for_risk(backlog: Backlog) -> bool:
    """The Risk tab's analysis of this backlog is worth a child process."""
    return len(backlog.items) >= RISK_REMOTE_FROM


def answer(request: Request, progress: Progress | None = None) -> Answer:
    """What the child computes for ``request`` (the app's process computes the same); a risk
    request reports its progress to ``progress``."""
    if isinstance(request, PlanRequest):
        return plan_for_view(request.backlog, request.lens, request.today, request.max_later)[1]
    if isinstance(request, RiskRequest):
        return _risk(request, progress or _quiet)
    from fulcrum.output.markdown import render_markdown

    try:
        return Markdown(render_markdown(request.backlog, request.lens, today=request.today))
    except ScoringError as exc:
        return Markdown(None, str(exc))
    except Exception as exc:  # the same words as the app's own export
        return Markdown(None, f"cannot export: unexpected error: {exc!r}")


def _risk(r: RiskRequest, progress: Progress) -> RiskOutcome:
    from fulcrum.plan import Plan
    from fulcrum.risk import Risk, analyse, risk_outcome

    def analysis(plan: Plan, tick: Progress) -> Risk:
        return analyse(plan, r.samples, r.plan_samples, r.seed, r.top, progress=tick)

    return risk_outcome(r.backlog, r.lens, r.today, r.max_items, r.max_questions, progress, analysis)


def _quiet(done: int, total: int) -> None:
    pass


# -- the parent's side --------------------------------------------------------------------------


def run_in_child(
    request: Request, cancelled: threading.Event | None = None, progress: Progress | None = None
) -> Answer:
    """Compute ``request`` in a new child process and return its answer (blocks: call it from a
    thread). Cancelled when ``cancelled`` is set meanwhile (the child is killed); ChildFailed when
    the child cannot start, dies or answers something unreadable. The child's progress reports
    are passed to ``progress``, in this thread; what it raises stops the request (the child is
    killed) and goes on up."""
    import subprocess  # here: `fulcrum matrix` imports this package, and needs no processes

    cancelled = cancelled or threading.Event()
    if cancelled.is_set():
        raise Cancelled
    try:
        proc = subprocess.Popen(
            [sys.executable, *CHILD],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=_child_env(),
            start_new_session=True,  # Ctrl-C in a terminal reaches the app, which decides
        )
    except OSError as exc:
        raise ChildFailed(f"cannot start a worker process: {exc.strerror or exc}") from None
    try:
        assert proc.stdin is not None and proc.stdout is not None
        # Sent from a thread while this one watches for the answer and for cancellation.
        sender = threading.Thread(target=_send, args=(proc.stdin, request, cancelled), daemon=True)
        sender.start()
        data = _receive(proc.stdout, cancelled, progress or _quiet)
        if data is None:
            raise Cancelled
        code = proc.wait()
        if code != 0 or not data:
            raise ChildFailed(_stopped(code))
        try:
            answered: Answer = _Answers(io.BytesIO(data)).load()
        except Exception:
            raise ChildFailed("the worker process answered something unreadable") from None
        return answered
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for pipe in (proc.stdin, proc.stdout):
            if pipe is not None:
                # Closing flushes what the sender left in the buffer: the child may be gone.
                with contextlib.suppress(OSError, ValueError):
                    pipe.close()


def _frames(request: Request) -> Iterator[bytes]:
    """The request as pickles: (kind, options, the backlog's other fields and which of them were
    set, the number of items), then the items in chunks, yielding the GIL before each."""
    backlog = request.backlog
    items = backlog.items
    head = {name: getattr(backlog, name) for name in type(backlog).model_fields if name != "items"}
    options = {f.name: getattr(request, f.name) for f in fields(request) if f.name != "backlog"}
    kind = type(request).__name__
    yield pickle.dumps((kind, options, head, set(backlog.model_fields_set), len(items)), protocol=PROTOCOL)
    for i in range(0, len(items), CHUNK):
        time.sleep(0)  # releases the GIL: the UI thread, if waiting, runs now
        yield pickle.dumps(items[i : i + CHUNK], protocol=PROTOCOL)


def _send(pipe: IO[bytes], request: Request, cancelled: threading.Event) -> None:
    """The frames, each length first; stdin then stays open (the child exits when it closes).
    Any failure closes the pipe: the child stops, and the reader reports it."""
    try:
        for frame in _frames(request):
            if cancelled.is_set():
                break
            pipe.write(len(frame).to_bytes(8, "big"))
            pipe.write(frame)
        pipe.flush()
    except Exception:  # the child died or was killed, or the request cannot be pickled
        with contextlib.suppress(OSError, ValueError):
            pipe.close()


def _receive(pipe: IO[bytes], cancelled: threading.Event, progress: Progress) -> bytes | None:
    """What the child answers after its progress records (each passed to ``progress`` as it
    comes), up to its end; None when cancelled first."""
    import selectors

    data = bytearray()
    answering = False  # past the progress records
    fd = pipe.fileno()
    with selectors.DefaultSelector() as sel:
        sel.register(fd, selectors.EVENT_READ)
        while True:
            if cancelled.is_set():
                return None
            if not sel.select(timeout=POLL):
                continue
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return bytes(data)  # a cut record is no pickle: "unreadable"
            data += chunk
            while not answering and data:
                if data[:1] != TICK:
                    answering = True
                elif len(data) < TICK_SIZE:
                    break  # the rest of the record comes with the next read
                else:
                    done, total = int.from_bytes(data[1:9], "big"), int.from_bytes(data[9:17], "big")
                    del data[:TICK_SIZE]
                    progress(done, total)


def _stopped(code: int) -> str:
    how = "it was killed" if code < 0 else f"exit code {code}"
    return f"the worker process stopped before it answered ({how})"


def _child_env() -> dict[str, str]:
    """The app's environment, with this fulcrum first on the path (the child imports the same code)."""
    env = dict(os.environ)
    src = str(Path(fulcrum.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH", "")) if p)
    return env


class _Answers(pickle.Unpickler):
    """Unpickles an answer: its own plain classes, dates and the plan's tour stops, nothing else."""

    ALLOWED = frozenset(
        {
            ("datetime", "date"),
            ("fulcrum.output.remote", "Markdown"),
            ("fulcrum.plan.picture", "PlanOutcome"),
            ("fulcrum.plan.picture", "PlanPicture"),
            ("fulcrum.plan.picture", "PhasePicture"),
            ("fulcrum.plan.picture", "PoolPicture"),
            ("fulcrum.plan.picture", "ItemPicture"),
            ("fulcrum.plan.picture", "DonePicture"),
            ("fulcrum.plan.picture", "LaterPicture"),
            ("fulcrum.plan.result", "TourStop"),
            ("fulcrum.risk.picture", "RiskOutcome"),
            ("fulcrum.risk.picture", "RiskPicture"),
            ("fulcrum.risk.picture", "QuestionPicture"),
            ("fulcrum.risk.analysis", "ItemRisk"),
            ("fulcrum.risk.analysis", "Spread"),
        }
    )

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in self.ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not part of an answer")
        return super().find_class(module, name)


# -- the child's side ---------------------------------------------------------------------------


def _read_exactly(pipe: IO[bytes], n: int) -> bytes:
    data = pipe.read(n)
    if len(data) != n:
        raise SystemExit(3)  # the parent went away before sending all of it
    return data


def _frame(pipe: IO[bytes]) -> Any:
    size = int.from_bytes(_read_exactly(pipe, 8), "big")
    return pickle.loads(_read_exactly(pipe, size))


def _request(pipe: IO[bytes]) -> Request:
    """The request the frames of :func:`_frames` carry."""
    kind, options, head, fields_set, n = _frame(pipe)
    items: list[Any] = []
    while len(items) < n:
        items += _frame(pipe)
    # The backlog as the app holds it: its validated parts put back together, not validated again.
    backlog = Backlog.model_construct(_fields_set=fields_set, **head, items=items)
    cls = {"PlanRequest": PlanRequest, "MarkdownRequest": MarkdownRequest, "RiskRequest": RiskRequest}[kind]
    return cls(backlog=backlog, **options)


def _exit_when_closed(pipe: IO[bytes]) -> None:
    """The parent closed stdin (it died, gave up or has the answer): stop at once."""
    while pipe.read(1 << 16):
        pass
    os._exit(4)


def main() -> NoReturn:
    """The child: one request from stdin, one answer on stdout, then exit (without tearing
    down what it built: the process ends anyway)."""
    gc.disable()  # a short life, many long-lived objects and few cycles: collecting only costs
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a stray print goes to stderr, never into the answer
    stdin = sys.stdin.buffer
    request = _request(stdin)
    threading.Thread(target=_exit_when_closed, args=(stdin,), daemon=True).start()

    def tick(done: int, total: int) -> None:
        out.write(TICK + done.to_bytes(8, "big") + total.to_bytes(8, "big"))
        out.flush()

    data = pickle.dumps(answer(request, tick), protocol=PROTOCOL)
    out.write(data)
    out.flush()
    os._exit(0)
