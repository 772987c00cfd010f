"""`fulcrum explain FILE ID`: the calculation, a close id suggested, user text literal and terminal-safe."""

from __future__ import annotations


def test_cli_explain(cli, golden_toml) -> None:
    code, out, err = cli("explain", golden_toml, "c", "--lens", "cfo")
    assert (code, err) == (0, "")
    assert "Rank 3 of 5" in out and "lens cfo (C, CFO)" in out
    code, out, err = cli("explain", golden_toml, "f")
    assert code == 0 and "Not ranked: it was dropped" in out
    code, out, err = cli("explain", golden_toml, "cc")
    assert code == 2 and out == "" and "no item 'cc'; did you mean 'c'?" in err
    code, out, err = cli("explain", golden_toml, "a", "--formula", "nope")
    assert code == 2 and "unknown name 'nope'" in err


def test_cli_explain_shows_user_text_literally_and_terminal_safe(cli, tmp_path) -> None:
    p = tmp_path / "h.toml"
    p.write_text(
        '[backlog]\ntitle = "t"\n[[items]]\nid = "a"\ntitle = "[b]x[/b] [@click=app.quit]"\neffort = 1\n'
    )
    # A comment in a formula is ignored by the parser but echoed back: it must not reach the terminal raw.
    code, out, _ = cli("explain", p, "a", "--formula", "effort # \x1b[2J\u202e")
    assert code == 0
    assert "a: [b]x[/b] [@click=app.quit]" in out
    assert "\x1b" not in out and "\u202e" not in out
    assert "\\u001b[2J" in out
    code, out, _ = cli("rank", p, "--formula", "effort # \x1b[2J")
    assert code == 0 and "\x1b" not in out
