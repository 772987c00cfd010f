"""The Plan tab's plan and the export computed in a child process (``fulcrum.output.remote``) are
exactly what the app's own process computes, and a child that fails, answers nonsense or is
cancelled ends in a plain-words ChildFailed or a Cancelled, never a traceback or a stray process."""

from __future__ import annotations

import pickle
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from backlogs import ROOT
from fulcrum.backlog import Backlog, load_backlog, parse_backlog
from fulcrum.output import (
    Cancelled,
    ChildFailed,
    Markdown,
    MarkdownRequest,
    PlanRequest,
    answer,
    remote,
    render_markdown,
    run_in_child,
)
from fulcrum.plan import PlanOutcome, build_plan, picture_of

sys.path.insert(0, str(ROOT / "benchmarks"))
from synth import synth_text

BOUND = 60.0  # seconds a child may take at most before a test fails (never reached when it works)


@pytest.fixture(scope="module")
def example(example_toml: Path) -> Backlog:
    return load_backlog(example_toml)


@pytest.fixture(scope="module")
def example_toml() -> Path:
    return ROOT / "src" / "fulcrum" / "backlog.example.toml"


@pytest.fixture(scope="module")
def generated() -> Backlog:
    return parse_backlog(synth_text(300, 7))


def test_the_example_is_planned_the_same_in_a_child(example: Backlog) -> None:
    for lens, today in ((None, None), ("cfo", None), (None, date(2027, 1, 20))):
        request = PlanRequest(example, lens, today, 200)
        here = answer(request)
        assert isinstance(here, PlanOutcome) and here.picture is not None and here.error is None
        there = run_in_child(request)
        assert there == here
        assert pickle.dumps(there) == pickle.dumps(here)  # byte for byte, floats and order included


def test_a_generated_backlog_is_planned_and_exported_the_same_in_a_child(generated: Backlog) -> None:
    request = PlanRequest(generated, None, None, 5)
    here = answer(request)
    assert isinstance(here, PlanOutcome) and here.picture is not None
    assert len(here.picture.later) == 5 < here.picture.later_total  # the cap travels too
    assert run_in_child(request) == here
    text = render_markdown(generated, "everyone")
    assert run_in_child(MarkdownRequest(generated, "everyone")) == Markdown(text)


@pytest.mark.parametrize("seed", ["0", "1", "4242"])
def test_the_child_plans_the_same_whatever_its_hash_seed(
    generated: Backlog, monkeypatch: pytest.MonkeyPatch, seed: str
) -> None:
    """Each process has its own string hashes: nothing may depend on the order of a set."""
    monkeypatch.setenv("PYTHONHASHSEED", seed)
    request = PlanRequest(generated, "cfo", date(2027, 1, 20), 200)
    assert run_in_child(request) == answer(request)


def test_the_picture_is_the_plan_as_built(example: Backlog) -> None:
    plan = build_plan(example)
    pic = picture_of(plan, 200)
    assert [[p.id for p in ph.items] for ph in pic.phases] == [[p.id for p in ph.items] for ph in plan.phases]
    assert pic.objective == plan.objective and pic.later_total == len(plan.later)
    assert [lt.id for lt in pic.later] == [lt.id for lt in plan.later]


def test_the_example_is_exported_the_same_in_a_child(example: Backlog) -> None:
    text = render_markdown(example, "everyone")
    assert run_in_child(MarkdownRequest(example, "everyone")) == Markdown(text)


def test_an_unscorable_method_falls_back_the_same_way_in_a_child(example: Backlog) -> None:
    scoring = example.scoring.model_copy(update={"method": "rice"})
    first = example.items[0].model_copy(update={"fields": {}})  # no reach, no impact: rice cannot score it
    backlog = example.replace_item(first).model_copy(update={"scoring": scoring})
    here = answer(PlanRequest(backlog, None, None, 200))
    assert isinstance(here, PlanOutcome) and here.note.startswith("Ranked by value density: ")
    assert run_in_child(PlanRequest(backlog, None, None, 200)) == here


def test_an_unknown_lens_is_an_answer_not_a_failure(example: Backlog) -> None:
    there = run_in_child(PlanRequest(example, "nobody", None, 200))
    assert isinstance(there, PlanOutcome) and there.picture is None
    assert there == answer(PlanRequest(example, "nobody", None, 200))
    assert there.error and "Traceback" not in there.error


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("import sys; sys.exit(1)", "the worker process stopped before it answered (exit code 1)"),
        (
            "import os, signal; os.kill(os.getpid(), signal.SIGKILL)",
            "the worker process stopped before it answered (it was killed)",
        ),
        (
            "import sys; sys.stdout.buffer.write(b'garbage')",
            "the worker process answered something unreadable",
        ),
        (
            # A pickle that would run code when loaded: refused, not run.
            "import pickle, subprocess, sys; "
            "sys.stdout.buffer.write(pickle.dumps(subprocess.Popen, protocol=5))",
            "the worker process answered something unreadable",
        ),
        ("pass", "the worker process stopped before it answered (exit code 0)"),  # no answer at all
    ],
)
def test_a_failing_child_is_a_plain_words_failure(
    example: Backlog, monkeypatch: pytest.MonkeyPatch, code: str, words: str
) -> None:
    monkeypatch.setattr(remote, "CHILD", ("-c", code))
    with pytest.raises(ChildFailed) as failed:
        run_in_child(PlanRequest(example, None, None, 200))
    assert str(failed.value) == words


def test_a_request_cancelled_before_it_starts_starts_no_child(
    example: Backlog, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[Any] = []
    monkeypatch.setattr(subprocess, "Popen", lambda *a, **k: started.append(a))
    cancelled = threading.Event()
    cancelled.set()
    with pytest.raises(Cancelled):
        run_in_child(PlanRequest(example, None, None, 200), cancelled)
    assert started == []


def test_a_cancelled_request_kills_its_child(example: Backlog, monkeypatch: pytest.MonkeyPatch) -> None:
    # A child that never answers (it waits for more input than the request): only a kill ends it.
    monkeypatch.setattr(remote, "CHILD", ("-c", "import sys; sys.stdin.buffer.read()"))
    procs: list[subprocess.Popen[bytes]] = []
    spawned = threading.Event()
    real = subprocess.Popen

    def popen(*args: Any, **kwargs: Any) -> subprocess.Popen[bytes]:
        proc = real(*args, **kwargs)
        procs.append(proc)
        spawned.set()
        return proc

    monkeypatch.setattr(subprocess, "Popen", popen)
    cancelled = threading.Event()
    outcome: list[BaseException] = []

    def call() -> None:
        try:
            run_in_child(PlanRequest(example, None, None, 200), cancelled)
        except BaseException as exc:
            outcome.append(exc)

    caller = threading.Thread(target=call)
    caller.start()
    assert spawned.wait(BOUND)
    cancelled.set()
    caller.join(BOUND)
    assert not caller.is_alive() and len(outcome) == 1 and isinstance(outcome[0], Cancelled)
    assert procs[0].returncode is not None and procs[0].returncode < 0  # killed, and reaped


def test_the_child_stops_when_its_parent_goes_away() -> None:
    """Its stdin closes when the app ends, however it ends: the child exits rather than work on."""
    pipe = subprocess.PIPE
    proc = subprocess.Popen([sys.executable, *remote.CHILD], stdin=pipe, stdout=pipe, env=remote._child_env())
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(b"\x00\x00")  # part of a request, then nothing more
    proc.stdin.close()
    assert proc.wait(BOUND) != 0 and proc.stdout.read() == b""
    proc.stdout.close()


def test_a_child_gone_before_the_request_is_flushed_is_a_plain_words_failure(
    example: Backlog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sender's last bytes may still be buffered when the child is already gone: closing the
    pipe then fails, and that must not replace the failure the user is told about."""
    monkeypatch.setattr(remote, "CHILD", ("-c", "import sys; sys.exit(1)"))
    monkeypatch.setattr(remote, "_send", lambda pipe, request, cancelled: pipe.write(b"x" * 100))
    with pytest.raises(ChildFailed) as failed:
        run_in_child(PlanRequest(example, None, None, 200))
    assert str(failed.value) == "the worker process stopped before it answered (exit code 1)"
