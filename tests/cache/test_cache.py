"""The cache never changes a result: with it, without it, and after damaging it, every printing
command writes the same bytes and exits the same way; a stale entry is always noticed. `rank`
keeps the file's scoring table (any lens, method or format is then a hit); `explain`, `matrix` and
`plan` keep their output.

The suite runs with the cache on, in a temporary folder (tests/conftest.py), and this module runs
each command both ways; no test writes to the real ~/.cache.
"""

from __future__ import annotations

import io
import os
import random
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backlogs import ROOT
from fulcrum import cache, cli
from fulcrum.commands._args import TABLE_ENTRY

sys.path.insert(0, str(ROOT / "benchmarks"))
from synth import synth_text

EXAMPLE = ROOT / "backlog.example.toml"


def commands(path: Path, first: str) -> list[list[str]]:
    p = str(path)
    return [
        ["rank", p, "--format", "json"],
        ["rank", p],
        ["rank", p, "--lens", "cfo", "--format", "csv", "--top", "3"],
        ["explain", p, first],
        ["matrix", p],
    ]


def run(argv: list[str]) -> tuple[int, str, str]:
    """``cli.printing`` as the console script runs it, with stdout and stderr captured."""
    out, err = io.StringIO(), io.StringIO()
    real = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        code = cli.printing(argv)
    finally:
        sys.stdout, sys.stderr = real
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv(cache.OFF_VARIABLE, raising=False)
    return tmp_path / "xdg" / "fulcrum"


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*" + cache.SUFFIX)) if folder.exists() else []


def table_kept(file: str) -> bool:
    """The file's scoring table is in the cache (what any `rank` of it can answer from)."""
    return cache.lookup_derived(TABLE_ENTRY, file) is not None


def kept(argv: list[str]) -> bool:
    """Everything ``argv`` keeps is in the cache and holds: its output, and for `rank` the table."""
    return cache.lookup(argv) is not None and (argv[0] != "rank" or table_kept(argv[1]))


def entries_of(argv: list[str]) -> list[Path]:
    """The entry files ``argv`` keeps: its output's, and for `rank` the table's."""
    where = [cache.entry_file(argv)]
    if argv[0] == "rank":
        where.append(cache.derived_file(TABLE_ENTRY, argv[1]))
    assert None not in where
    return [Path(w) for w in where if w is not None]


DAMAGE = ("half", "a flipped byte", "empty", "zeros")


def damage(data: bytes, how: str) -> bytes:
    if how == "half":
        return data[: len(data) // 2]
    if how == "a flipped byte":
        return data[:-1] + bytes([data[-1] ^ 1])
    return b"" if how == "empty" else b"\x00" * 64


def both_ways(argv: list[str], folder: Path, how: str) -> None:
    """Without the cache, on a miss, on a hit and after damage: the same result."""
    env = os.environ.copy()
    os.environ[cache.OFF_VARIABLE] = "1"
    try:
        plain = run(argv)
    finally:
        os.environ.clear()
        os.environ.update(env)
    assert run(argv) == plain  # a miss: computed, and kept when it succeeded
    assert kept(argv) == (plain[0] == 0)
    if argv[0] == "rank":  # a rank that failed on its options still keeps a good file's table
        assert table_kept(argv[1]) or plain[0] != 0
    assert run(argv) == plain  # a hit
    for entry in entries_of(argv):  # each entry damaged on its own (the other may answer), then all
        if entry.exists():
            entry.write_bytes(damage(entry.read_bytes(), how))
            assert not kept(argv)
            assert run(argv) == plain
    for entry in entries_of(argv):
        if entry.exists():
            entry.write_bytes(damage(entry.read_bytes(), how))
    assert not kept(argv)
    assert run(argv) == plain
    assert kept(argv) == (plain[0] == 0)


edits = st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from("0123456789")), max_size=3)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n=st.integers(1, 12), seed=st.integers(0, 2**16), changes=edits, how=st.sampled_from(DAMAGE))
def test_any_backlog_and_any_edit_give_the_same_output_with_and_without_the_cache(
    n: int, seed: int, changes: list[tuple[int, str]], how: str, folder: Path, tmp_path: Path
) -> None:
    path = tmp_path / f"b{n}-{seed}.toml"
    text = synth_text(n, seed)
    path.write_text(text, encoding="utf-8")
    first = re.search(r'(?m)^id = "([^"]+)"', text)
    argvs = commands(path, first[1] if first else "x")
    for argv in argvs:
        both_ways(argv, folder, how)
    # Edits between runs (a digit changed anywhere: a number, a date, an id; valid or not).
    digits = [m.start() for m in re.finditer(r"\d", text)]
    for where, digit in changes:
        at = digits[where % len(digits)]
        text = text[:at] + digit + text[at + 1 :]
    path.write_text(text, encoding="utf-8")
    for argv in argvs:
        both_ways(argv, folder, how)


@pytest.mark.parametrize("how", DAMAGE)
def test_plan_and_the_example_give_the_same_output_with_and_without_the_cache(folder: Path, how: str) -> None:
    both_ways(["plan", str(EXAMPLE), "--format", "json"], folder, how)
    both_ways(["explain", str(EXAMPLE), "cdn-images"], folder, how)


def test_same_size_and_mtime_with_other_bytes_is_noticed(folder: Path, tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "b.toml"
    text = EXAMPLE.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    argv = ["rank", str(path), "--format", "json"]
    before = run(argv)
    assert kept(argv)
    other = text.replace("likely = -250_000", "likely = -950_000", 1)
    assert len(other) == len(text) and other != text
    path.write_text(other, encoding="utf-8")
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    assert not kept(argv)
    after = run(argv)
    assert after != before
    monkeypatch.setenv(cache.OFF_VARIABLE, "1")
    assert run(argv) == after


def test_a_file_changed_during_the_run_is_not_kept(folder: Path, tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "b.toml"
    path.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    future = 4_000_000_000 * 10**9  # an mtime after the run started
    os.utime(path, ns=(future, future))
    run(["rank", str(path)])
    assert entries(folder) == []


def test_the_cache_can_be_turned_off(folder: Path, monkeypatch) -> None:
    run(["rank", str(EXAMPLE), "--no-cache"])
    assert entries(folder) == []
    monkeypatch.setenv(cache.OFF_VARIABLE, "1")
    run(["rank", str(EXAMPLE)])
    assert entries(folder) == []
    monkeypatch.setenv(cache.OFF_VARIABLE, "0")
    run(["rank", str(EXAMPLE)])
    assert len(entries(folder)) == 2  # the output and the table


def test_errors_are_never_kept(folder: Path, tmp_path: Path, monkeypatch) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[backlog]\ntitle = 1\n", encoding="utf-8")
    code, _, err = run(["rank", str(bad)])
    assert code == 2 and "title" in err
    assert entries(folder) == []
    explain = ["explain", str(EXAMPLE), "no-such-item"]
    assert run(explain)[0] == 2
    assert not kept(explain)  # its output is not kept; the good file's table is
    assert entries(folder) == [Path(str(cache.derived_file(TABLE_ENTRY, str(EXAMPLE))))]


def test_the_folder_is_private_and_a_shared_one_is_refused(folder: Path, monkeypatch) -> None:
    run(["rank", str(EXAMPLE)])
    assert len(entries(folder)) == 2
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert {stat.S_IMODE(entry.stat().st_mode) for entry in entries(folder)} == {0o600}
    argv = ["rank", str(EXAMPLE)]
    assert kept(argv)
    folder.chmod(0o777)
    assert not kept(argv) and not table_kept(str(EXAMPLE))  # anyone could have planted them
    run(argv)
    assert len(entries(folder)) == 2  # and nothing is written there either
    folder.chmod(0o700)


def test_an_entry_of_another_version_or_request_is_a_miss(folder: Path, monkeypatch) -> None:
    import marshal
    from hashlib import blake2b

    from fulcrum.cache.store import MAGIC

    def rewrite(entry: Path, change) -> None:  # a well-formed entry (its hash right) with other contents
        body = marshal.dumps(change(marshal.loads(entry.read_bytes()[len(MAGIC) + 32 :])))
        entry.write_bytes(MAGIC + blake2b(body, digest_size=32).digest() + body)

    argvs = (["rank", str(EXAMPLE), "--format", "json"], ["matrix", str(EXAMPLE)])
    for argv, entry in [(a, entry) for a in argvs for entry in entries_of(a)]:
        run(argv)
        rewrite(entry, lambda e: e)
        assert kept(argv)  # the rewrite itself keeps a good entry good
        rewrite(entry, lambda e: (e[0], "0.0.0-other", *e[2:]))
        assert not kept(argv)
        run(argv)
        rewrite(entry, lambda e: (*e[:2], (*e[2][:-1], ("x",)), e[3]))
        assert not kept(argv)
        run(argv)
        rewrite(entry, lambda e: (e[0] + 1, *e[1:]))
        assert not kept(argv)


def test_a_damaged_length_is_a_miss_not_a_request_for_gigabytes(folder: Path) -> None:
    """The hash is checked before unmarshalling: a length field turned huge allocates nothing."""
    from fulcrum.cache.store import MAGIC

    argv = ["rank", str(EXAMPLE), "--format", "json"]
    plain = run(argv)
    for entry in entries_of(argv):
        data = bytearray(entry.read_bytes())
        at = len(MAGIC) + 32 + 1  # inside the body's first item: a tuple's length, say
        data[at : at + 4] = (0x7FFFFFF0).to_bytes(4, "little")
        entry.write_bytes(bytes(data))
    assert not kept(argv) and not table_kept(str(EXAMPLE))
    assert run(argv) == plain


def test_the_folder_is_bounded(tmp_path: Path) -> None:
    for i in range(10):
        p = tmp_path / f"{i:02d}{cache.SUFFIX}"
        p.write_bytes(b"x" * 100)
        os.utime(p, ns=(i * 10**9, i * 10**9))
    cache.prune(str(tmp_path), max_entries=4, max_bytes=10_000)
    assert sorted(p.name[:2] for p in tmp_path.iterdir()) == ["06", "07", "08", "09"]
    cache.prune(str(tmp_path), max_entries=4, max_bytes=250)
    assert sorted(p.name[:2] for p in tmp_path.iterdir()) == ["08", "09"]


#: What a cached answer must not import: the models, pydantic and the TOML parsers.
HEAVY = "{'pydantic', 'pydantic_core', 'tomli', 'tomllib', 'toml_rs', 'fulcrum.backlog'}"


def _imports(folder: Path, argv: list[str]) -> tuple[str, list[str]]:
    """(stdout, the heavy modules imported) of ``cli.printing(argv)`` in a fresh interpreter."""
    code = (
        "import sys\nfrom fulcrum import cli\n"
        f"assert cli.printing({argv!r}) == 0\n"
        f"print(sorted({HEAVY} & set(sys.modules)), file=sys.stderr)"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(folder.parent)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return done.stdout, eval(done.stderr.splitlines()[-1])


def a_hit_without_the_models(folder: Path, argv: list[str]) -> None:
    """``argv`` answers from the cache, importing no model, with the output of a run without it."""
    out, heavy = _imports(folder, argv)
    assert heavy == []
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(cache.OFF_VARIABLE, "1")
        assert run(argv) == (0, out, "")


def test_a_hit_imports_neither_pydantic_nor_tomli_nor_the_models(folder: Path) -> None:
    for argv in (["rank", str(EXAMPLE), "--format", "json"], ["plan", str(EXAMPLE)]):
        miss_out, miss = _imports(folder, argv)
        hit_out, hit = _imports(folder, argv)
        assert "pydantic" in miss
        assert hit == []
        assert hit_out == miss_out


def test_one_rank_serves_every_lens_method_and_format_without_the_models(folder: Path) -> None:
    """The scoring table is the file's, not the request's: after one `rank`, any other `rank`, and a
    `matrix` of any lens and size, is a hit."""
    _imports(folder, ["rank", str(EXAMPLE)])
    for extra in (
        ["--lens", "cfo", "--format", "csv"],
        ["--method", "wsjf", "--format", "json"],
        ["--top", "2"],
        ["--formula", "value * confidence / effort", "--format", "json"],
    ):
        a_hit_without_the_models(folder, ["rank", str(EXAMPLE), *extra])
    for size in (["--width", "70", "--height", "20"], ["--width", "120", "--height", "40"]):
        a_hit_without_the_models(folder, ["matrix", str(EXAMPLE), "--lens", "cfo", *size])


def test_the_tests_never_use_the_real_cache() -> None:
    home = Path(os.path.expanduser("~")) / ".cache"
    where = cache.cache_dir()
    assert where is not None and not Path(where).is_relative_to(home)


def test_random_bytes_as_an_entry_are_a_miss(folder: Path, monkeypatch) -> None:
    argv = ["rank", str(EXAMPLE)]
    plain = run(argv)
    rng = random.Random(0)
    for size in (1, 7, 100, 5000):
        for entry in entries(folder):
            entry.write_bytes(bytes(rng.randrange(256) for _ in range(size)))
        assert not kept(argv) and not table_kept(str(EXAMPLE))
        assert run(argv) == plain


@pytest.mark.parametrize("first", [["check"], ["plan"], ["matrix"], ["explain", "cdn-images"]])
def test_every_command_that_loads_a_file_keeps_its_table_for_rank(
    first: list[str], folder: Path, tmp_path: Path
) -> None:
    path = tmp_path / "b.toml"
    path.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    argv = ["rank", str(path), "--lens", "cfo"]
    assert not table_kept(str(path))
    run([first[0], str(path), *first[1:]])
    assert table_kept(str(path))
    a_hit_without_the_models(folder, argv)


def test_opening_a_file_in_the_app_keeps_its_table_for_rank(
    folder: Path, tmp_path: Path, monkeypatch
) -> None:
    from fulcrum.commands import tui

    path = tmp_path / "b.toml"
    path.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    argv = ["rank", str(path), "--lens", "cfo"]
    assert not table_kept(str(path))
    tui._read_snapshot(path)  # what the app reads a file with (before the app, or in its worker)
    assert table_kept(str(path))
    a_hit_without_the_models(folder, argv)


def _older_copy_with_other_bytes(path: Path, tmp_path: Path) -> Path:
    """A file of the same size as ``path`` with other bytes and an mtime in the past."""
    text = path.read_text(encoding="utf-8")
    other = text.replace("likely = -250_000", "likely = -950_000", 1)
    assert len(other) == len(text) and other != text
    older = tmp_path / "older.toml"
    older.write_text(other, encoding="utf-8")
    os.utime(older, ns=(1_000_000_000, 1_000_000_000))
    return older


def test_a_file_swapped_for_an_older_dated_one_while_read_is_never_served_stale(
    folder: Path, tmp_path: Path
) -> None:
    """`cp -p`, `rsync -a`, `tar x` keep old mtimes: a file replaced after the load but before the
    table is kept must not have that table served for its new bytes."""
    import shutil
    import time

    from fulcrum.backlog import load_backlog
    from fulcrum.commands._args import keep_table

    path = tmp_path / "b.toml"
    path.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    older = _older_copy_with_other_bytes(path, tmp_path)
    argv = ["rank", str(path), "--format", "json"]
    started = time.time_ns()
    backlog = load_backlog(path)
    shutil.copy2(older, path)  # between the read and the keeping
    keep_table(str(path), backlog, started)
    assert not table_kept(str(path))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(cache.OFF_VARIABLE, "1")
        fresh = run(argv)
    assert run(argv) == fresh


def test_a_file_swapped_while_plan_runs_is_never_replayed_stale(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    import fulcrum.plan

    path = tmp_path / "b.toml"
    path.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    older = _older_copy_with_other_bytes(path, tmp_path)
    real = fulcrum.plan.build_plan

    def swapping(*args, **kwargs):  # type: ignore[no-untyped-def]
        shutil.copy2(older, path)  # after the load, before the output is kept
        return real(*args, **kwargs)

    argv = ["plan", str(path), "--format", "json", "--today", "2026-12-01"]
    monkeypatch.setattr(fulcrum.plan, "build_plan", swapping)
    run(argv)
    monkeypatch.setattr(fulcrum.plan, "build_plan", real)
    assert not kept(argv)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(cache.OFF_VARIABLE, "1")
        fresh = run(argv)
    assert run(argv) == fresh
