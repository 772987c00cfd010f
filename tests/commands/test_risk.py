"""`fulcrum risk FILE [--samples N] [--plan-samples N] [--seed S] [--top K] [--lens KEY] [--format F]`.

The JSON contract of docs/FORMAT.md, the same bytes for the same seed, the table on the example
(the Verify-first list names a number, whom to ask and what the plan does at each end), no progress
bar when stderr is not a terminal, Ctrl-C as exit 130, bad options and files (exit 2).
"""

from __future__ import annotations

import json

import pytest

from backlogs import HEAD, item, write

FAST = ("--samples", "300", "--plan-samples", "10")


def test_json_is_the_contract(cli, example_toml):
    code, out, err = cli("risk", example_toml, "--format", "json", *FAST, "--top", "3")
    assert (code, err) == (0, "")
    got = json.loads(out)
    assert set(got) == {"samples", "plan_samples", "seed", "plan", "items", "evpi", "verify_first"}
    assert (got["samples"], got["plan_samples"], got["seed"]) == (300, 10, 0)
    assert set(got["plan"]) == {"fits", "value"}
    assert set(got["plan"]["value"]) == {"mean", "p10", "p50", "p90"}
    planned = {
        i
        for ph in json.loads(cli("plan", example_toml, "--format", "json")[1])["phases"]
        for i in ph["items"]
    }
    for it in got["items"]:
        keys = {"id", "value", "rank", "p_top", "p_in_plan", "p_first_phase"}
        assert set(it) == keys | ({"p_on_time"} if it["id"] in planned else set())
        assert set(it["value"]) == set(it["rank"]) == {"p10", "p50", "p90"}
    assert sum(it["p_top"] for it in got["items"]) == pytest.approx(3)
    assert got["verify_first"]
    for q in got["verify_first"]:
        assert set(q) == {"id", "input", "low", "high", "evppi", "ask"}
        assert q["input"] in {"effort", "confidence"} or q["input"].startswith("impact.")
        assert q["low"] <= q["high"]
        assert isinstance(q["ask"], list)
    assert [q["evppi"] for q in got["verify_first"]] == sorted(
        (q["evppi"] for q in got["verify_first"]), reverse=True
    )
    assert out.isascii()


def test_the_same_seed_gives_the_same_bytes_and_another_seed_other_numbers(cli, example_toml):
    runs = [cli("risk", example_toml, "--format", "json", *FAST, "--seed", s)[1] for s in ("7", "7", "8")]
    assert runs[0] == runs[1]
    assert runs[0] != runs[2]


def test_the_table_on_the_example_says_what_to_check_and_whom_to_ask(cli, example_toml):
    code, out, err = cli("risk", example_toml, "--samples", "600", "--plan-samples", "40")
    assert (code, err) == (0, "")  # no progress bar: stderr is not a terminal
    assert "correlations between them are not modelled" in out
    assert "The plan finishes by day 90 in" in out
    verify = out.split("Verify first")[1]
    first = verify.splitlines()[1]
    assert first.startswith("  1. ") and "worth $" in first
    assert "ask: " in verify
    assert ("at the low end: " in verify) or ("if it does not pay off: " in verify)


def test_a_backlog_without_uncertainty_has_nothing_to_verify(cli, tmp_path):
    path = write(tmp_path, HEAD + item("a", "impact = { revenue = 1000 }"))
    code, out, _ = cli("risk", path, "--start", "2027-01-04", *FAST)
    assert code == 0
    assert "finishes by day 90 in 100% of samples" in out
    assert "nothing: no single number, checked, would change the plan" in out


def test_user_text_is_printed_literally(cli, tmp_path):
    path = write(
        tmp_path,
        HEAD + item("a", "impact = { revenue = { low = 1, likely = 5, high = 9 } }", title="[b]x[/x]"),
    )
    code, out, _ = cli("risk", path, "--start", "2027-01-04", *FAST)
    assert code == 0
    assert "[b]x[/x]" in out


def test_ctrl_c_exits_130(cli, example_toml, monkeypatch):
    import fulcrum.risk

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(fulcrum.risk, "analyse", interrupted)
    code, out, err = cli("risk", example_toml)
    assert code == 130
    assert "Traceback" not in err and out == ""


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--samples", "5"), "must be at least 10"),
        (("--samples", "many"), "is not a whole number"),
        (("--plan-samples", "-1"), "must be at least 0"),
        (("--top", "0"), "must be at least 1"),
        (("--lens", "nobody"), "unknown lens 'nobody'"),
    ],
)
def test_bad_options_exit_2(cli, example_toml, args, words):
    code, out, err = cli("risk", example_toml, *args)
    assert code == 2 and out == ""
    assert words in err and "Traceback" not in err


def test_a_bad_file_exits_2_with_the_loaders_message(cli, tmp_path):
    path = write(tmp_path, HEAD + item("a", "effort = 1"))
    code, out, err = cli("risk", path)
    assert code == 2 and out == ""
    assert "b.toml" in err and "Traceback" not in err
