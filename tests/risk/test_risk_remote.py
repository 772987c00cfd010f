"""The Risk tab's analysis computed in a child process (``fulcrum.output.remote``) is exactly what
the app's own process computes: the same picture, byte for byte, for the same seed; its progress
reports are the ones the analysis makes; a failure is a message in plain words."""

from __future__ import annotations

import pickle
import sys
from datetime import date

import pytest

from backlogs import ROOT
from fulcrum.backlog import Backlog, load_backlog, parse_backlog
from fulcrum.output import remote
from fulcrum.output.remote import ChildFailed, RiskRequest, answer, run_in_child
from fulcrum.plan import Plan, build_plan
from fulcrum.risk import Risk, RiskOutcome, analyse, analyse_for_view, picture_of, risk_outcome

sys.path.insert(0, str(ROOT / "benchmarks"))
from synth import synth_text


@pytest.fixture(scope="module")
def example() -> Backlog:
    return load_backlog(ROOT / "src" / "fulcrum" / "backlog.example.toml")


@pytest.fixture(scope="module")
def generated() -> Backlog:
    return parse_backlog(synth_text(120, 3))


def request(backlog: Backlog, **options: object) -> RiskRequest:
    given: dict[str, object] = {
        "lens": None,
        "today": None,
        "max_items": 200,
        "max_questions": 20,
        "samples": 300,
        "plan_samples": 12,
        "seed": 0,
        "top": 5,
    }
    given.update(options)
    return RiskRequest(backlog, **given)  # type: ignore[arg-type]


def thread_path(r: RiskRequest) -> RiskOutcome:
    """What the Risk view computes in its own thread for a small backlog."""

    def analysis(plan: Plan, progress: object) -> Risk:
        return analyse(plan, r.samples, r.plan_samples, r.seed, r.top)

    risk = analyse_for_view(r.backlog, r.lens, r.today, lambda d, t: None, analysis)
    return RiskOutcome(picture_of(risk, r.max_items, r.max_questions))


def test_the_example_is_analysed_the_same_in_a_child(example: Backlog) -> None:
    for options in ({}, {"lens": "cfo", "seed": 7}, {"today": date(2027, 1, 20), "top": 3}):
        r = request(example, **options)
        here = answer(r)
        assert isinstance(here, RiskOutcome) and here.picture is not None and here.error is None
        assert here.picture.questions and here.picture.items_total == len(here.picture.items)
        assert here == thread_path(r)
        there = run_in_child(r)
        assert there == here
        assert pickle.dumps(there) == pickle.dumps(here)  # byte for byte, floats and order included


def test_a_generated_backlog_is_analysed_the_same_in_a_child(generated: Backlog) -> None:
    r = request(generated, max_items=30, max_questions=7, seed=42)
    here = answer(r)
    assert isinstance(here, RiskOutcome) and here.picture is not None
    pic = here.picture
    assert len(pic.items) == 30 < pic.items_total  # the cap travels
    assert here == thread_path(r)
    assert pickle.dumps(run_in_child(r)) == pickle.dumps(here)


def test_another_seed_gives_other_figures(example: Backlog) -> None:
    a, b = answer(request(example, seed=1)), answer(request(example, seed=2))
    assert isinstance(a, RiskOutcome) and isinstance(b, RiskOutcome) and a != b


def test_the_picture_is_the_analysis(example: Backlog) -> None:
    risk = analyse(build_plan(example), samples=300, plan_samples=12)
    pic = picture_of(risk, 3, 2)
    assert pic.items == tuple(risk.items[:3]) and pic.items_total == len(risk.items)
    worth = [q for q in risk.verify_first if q.evppi > 0]
    assert [(q.id, q.input, q.evppi) for q in pic.questions] == [(q.id, q.input, q.evppi) for q in worth[:2]]
    assert pic.fits == risk.fits and pic.evpi == risk.evpi and pic.objective == risk.plan.objective


def test_the_child_reports_the_analysis_progress(example: Backlog) -> None:
    r = request(example)
    here: list[tuple[int, int]] = []
    answer(r, lambda done, total: here.append((done, total)))
    there: list[tuple[int, int]] = []
    run_in_child(r, progress=lambda done, total: there.append((done, total)))
    steps = r.plan_samples + 2
    assert there == here and here[0] == (0, steps) and here[-1] == (steps, steps)


def test_a_progress_that_raises_stops_the_child(example: Backlog) -> None:
    class Enough(Exception):
        pass

    def progress(done: int, total: int) -> None:
        if done >= 2:
            raise Enough

    with pytest.raises(Enough):
        run_in_child(request(example), progress=progress)


def test_an_unknown_lens_is_an_answer_in_words(example: Backlog) -> None:
    r = request(example, lens="nobody")
    there = run_in_child(r)
    assert isinstance(there, RiskOutcome) and there.picture is None and there.error
    assert there == answer(r) and "Traceback" not in there.error


def test_a_failing_analysis_is_words_not_a_traceback(example: Backlog) -> None:
    def broken(plan: Plan, progress: object) -> Risk:
        raise ZeroDivisionError("no")

    out = risk_outcome(example, None, None, 200, 20, lambda d, t: None, broken)
    assert out == RiskOutcome(None, "unexpected error: ZeroDivisionError('no')")


def test_a_child_that_dies_is_a_plain_words_failure(
    example: Backlog, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        remote, "CHILD", ("-c", "import sys; sys.stdout.buffer.write(b'%' * 20); sys.exit(1)")
    )
    with pytest.raises(ChildFailed) as failed:
        run_in_child(request(example), progress=lambda d, t: None)
    assert str(failed.value) == "the worker process stopped before it answered (exit code 1)"


def test_a_cut_progress_record_is_unreadable(example: Backlog, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(remote, "CHILD", ("-c", "import sys; sys.stdout.buffer.write(b'%' + bytes(5))"))
    with pytest.raises(ChildFailed) as failed:
        run_in_child(request(example))
    assert str(failed.value) == "the worker process answered something unreadable"
