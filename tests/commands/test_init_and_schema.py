"""`fulcrum init` (a starter that passes check, never overwriting) and `fulcrum schema` (the JSON
Schema itself is tested in tests/backlog/test_schema.py)."""

from __future__ import annotations

import json

from fulcrum.backlog.schema import json_schema
from fulcrum.commands.init import starter_text

# --- init -----------------------------------------------------------------------------------------


def test_init_writes_a_commented_starter_that_passes_check_cleanly(cli, tmp_path) -> None:
    path = tmp_path / "mine.toml"
    code, out, _ = cli("init", path)
    assert code == 0 and f"wrote {path}" in out
    text = path.read_text(encoding="utf-8")
    assert text == starter_text()
    assert sum(1 for line in text.split("\n") if line.lstrip().startswith("#")) >= 10
    assert cli("check", path, "--strict")[:2] == (0, cli("check", path)[1])


def test_init_defaults_to_backlog_toml_in_the_current_folder(cli, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli("init")[0] == 0
    assert (tmp_path / "backlog.toml").read_text(encoding="utf-8") == starter_text()


def test_init_refuses_to_overwrite(cli, tmp_path) -> None:
    path = tmp_path / "backlog.toml"
    path.write_text("# my precious backlog\n")
    code, out, err = cli("init", path)
    assert code == 2 and out == ""
    assert "already exists; not overwriting it" in err
    assert path.read_text() == "# my precious backlog\n"


def test_init_refuses_a_dangling_symlink_and_a_missing_folder(cli, tmp_path) -> None:
    link = tmp_path / "link.toml"
    link.symlink_to(tmp_path / "elsewhere.toml")
    assert cli("init", link)[0] == 2
    assert not (tmp_path / "elsewhere.toml").exists()
    code, _, err = cli("init", tmp_path / "no" / "such" / "dir.toml")
    assert code == 2 and "folder does not exist" in err


# --- schema ---------------------------------------------------------------------------------------


def test_schema_prints_json_with_the_field_docstrings(cli) -> None:
    code, out, _ = cli("schema")
    assert code == 0
    schema = json.loads(out)
    assert schema == json_schema()
    assert schema["$schema"].startswith("http://json-schema.org/draft-07")
    item = schema["$defs"]["Item"]["properties"]
    assert item["confidence"]["description"] == "Probability, 0..1, that the value materialises."
    assert item["confidence"]["minimum"] == 0 and item["confidence"]["maximum"] == 1
    assert schema["$defs"]["Item"]["additionalProperties"] is False
