"""A version of a backlog by name: a path, or ``REV:PATH``, read through ``git show``.

``REV:PATH`` is taken when no file of that name exists and the argument has a ``:``; PATH is
relative to the current directory (``HEAD:backlog.toml`` from the folder that holds it), as a
plain path is. Every failure is a :class:`RevisionError` in plain words: not inside a git
repository, an unknown revision, a file the revision does not have, git not installed.
"""

from __future__ import annotations

import os
import posixpath
import subprocess
from pathlib import Path

from fulcrum.backlog import Backlog, decode, load_backlog, parse_backlog

#: How long git may take to answer (a local read; a hung git must not hang us for ever).
GIT_TIMEOUT = 60.0
#: Symbolic links followed inside a revision before giving up (a loop).
MAX_LINKS = 8


class RevisionError(Exception):
    """A ``REV:PATH`` that cannot be read (the message says why, in plain words)."""


def is_revision(spec: str) -> bool:
    """``spec`` names a git revision's file rather than a file on disk."""
    if Path(spec).exists():
        return False
    rev, sep, path = spec.partition(":")
    return bool(sep and rev and path)


def load_version(spec: str, cwd: Path | None = None) -> Backlog:
    """The backlog named by ``spec``: a path, or ``REV:PATH`` (BacklogError, RevisionError)."""
    if not is_revision(spec):
        return load_backlog(spec)
    return parse_backlog(show(spec, cwd), spec)


def show(spec: str, cwd: Path | None = None) -> str:
    """The text of ``REV:PATH`` (PATH relative to ``cwd``, default the current directory)."""
    rev, _, path = spec.partition(":")
    where = cwd or Path.cwd()
    inside = _git(["rev-parse", "--is-inside-work-tree"], where)
    if inside.returncode != 0 or inside.stdout.strip() != b"true":
        raise RevisionError(
            f"{spec}: {where} is not inside a git repository "
            "(run fulcrum from the repository, or give two file paths)"
        )
    if _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], where).returncode:
        raise RevisionError(
            f"{spec}: unknown revision {rev!r} (a commit, branch or tag, such as HEAD or HEAD~1)"
        )
    rel = path if path.startswith(("./", "../", "/")) else "./" + path
    for _ in range(MAX_LINKS):
        got = _git(["show", "--end-of-options", f"{rev}:{rel}"], where)
        if got.returncode != 0:
            raise RevisionError(f"{spec}: revision {rev!r} has no file {path!r}")
        listed = _git(["ls-tree", "--end-of-options", rev, "--", rel], where).stdout
        if not listed.startswith(b"120000 "):
            return decode(got.stdout, spec)
        # A symbolic link (the repository's backlog.example.toml is one): git shows its target.
        target = os.fsdecode(got.stdout)
        rel = posixpath.normpath(posixpath.join(posixpath.dirname(rel), target))
        if rel.startswith("/"):
            break
        rel = "./" + rel
    raise RevisionError(f"{spec}: {path!r} in {rev!r} is a symbolic link that leads outside the repository")


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", *args],
            cwd=cwd,
            capture_output=True,
            timeout=GIT_TIMEOUT,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except FileNotFoundError:
        raise RevisionError("git is not installed (or not on PATH): it is needed to read REV:PATH") from None
    except subprocess.TimeoutExpired:
        raise RevisionError(f"git did not answer within {GIT_TIMEOUT:g} s") from None
    except OSError as exc:
        raise RevisionError(f"cannot run git: {exc.strerror or exc}") from None
