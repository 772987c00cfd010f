"""Atomic file writes: the one way fulcrum replaces a file (saves of the backlog, exported plans).

A temporary file is made beside the target, written, flushed to disk, read back and compared, then
renamed over the target, and the folder is flushed so the rename survives a crash. A reader never
sees half a file, and any failure leaves the old file byte-identical with no temporary file left.
A symlink is written through (the link stays a link), an existing file keeps its mode (and its
owner when permitted), a new file gets the umask's mode, and a read-only file is refused rather
than replaced: the folder would allow the rename, but it would bypass the user's protection.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path

#: Suffix of the temporary files (``.NAME.RANDOM.fulcrum-tmp`` beside the target).
TMP_SUFFIX = ".fulcrum-tmp"


class WriteError(Exception):
    """The file could not be written; the message says why, for the user. The old file is intact."""


_REASONS = {
    errno.EACCES: "permission denied (the file or its folder is read-only)",
    errno.EPERM: "permission denied (the file or its folder is read-only)",
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is exceeded",
    errno.EROFS: "the file system is read-only",
    errno.ENOENT: "its folder does not exist",
}


def reason(exc: OSError) -> str:
    """An OSError in words a user can act on (``the disk is full``, ``permission denied ...``)."""
    return _REASONS.get(exc.errno or 0) or exc.strerror or str(exc)


def write_atomic(
    path: Path,
    data: bytes,
    *,
    protect: Path | None = None,
    before_replace: Callable[[], None] | None = None,
) -> Path:
    """Replace (or create) ``path`` with ``data`` atomically; return the real file written.

    ``protect`` is a file that must never be the target (the backlog being exported): refused, even
    through a symlink or a hard link. ``before_replace`` runs after the data is safely in the
    temporary file and just before the rename, so a check there (has the file changed on disk?)
    leaves the shortest window; whatever it raises is raised, with the temporary file removed.
    Raises :class:`WriteError` for anything else that goes wrong.
    """
    path = Path(path)
    real = Path(os.path.realpath(path))
    if protect is not None and _same_file(real, Path(protect)):
        raise WriteError(f"cannot write {path}: it is the backlog itself; choose another file name")
    try:
        st: os.stat_result | None = os.stat(real)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise WriteError(f"cannot write {path}: {reason(exc)}") from None
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise WriteError(f"cannot write {path}: it is a directory; name a file inside it")
        if not stat.S_ISREG(st.st_mode):
            raise WriteError(f"cannot write {path}: it is not a regular file")
        if not st.st_mode & 0o222 or not os.access(real, os.W_OK):
            raise WriteError(f"cannot write {path}: it is read-only; choose another file name")
    elif not real.parent.is_dir():
        raise WriteError(f"cannot write {path}: the folder {real.parent} does not exist")
    unchanged = "the file on disk is unchanged" if st is not None else "nothing was written"
    tmp = real.parent / f".{real.name}.{secrets.token_hex(4)}{TMP_SUFFIX}"
    try:
        # O_EXCL: never reuse a file someone else made; 0o666 lets the umask decide a new file's mode.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise WriteError(f"cannot write {path}: {reason(exc)}; {unchanged}") from None
    try:
        try:
            if st is not None:
                os.fchmod(fd, stat.S_IMODE(st.st_mode))
                _keep_owner(fd, st)
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        if tmp.read_bytes() != data:
            raise WriteError(f"cannot write {path}: what was written did not read back the same; {unchanged}")
        if before_replace is not None:
            before_replace()
        os.replace(tmp, real)
    except OSError as exc:
        _remove(tmp)
        raise WriteError(f"cannot write {path}: {reason(exc)}; {unchanged}") from None
    except BaseException:
        _remove(tmp)
        raise
    fsync_dir(real.parent)
    return real


def _same_file(a: Path, b: Path) -> bool:
    """Both exist and are one file (a missing target cannot be the protected file)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def _keep_owner(fd: int, st: os.stat_result) -> None:
    mine = os.fstat(fd)
    if (mine.st_uid, mine.st_gid) != (st.st_uid, st.st_gid):
        # Only root may give a file away; otherwise the new file is ours, as with any editor.
        with contextlib.suppress(OSError):
            os.fchown(fd, st.st_uid, st.st_gid)


def _remove(tmp: Path) -> None:
    # Cleaning up can fail in a folder we cannot write; the error being raised says why.
    with contextlib.suppress(OSError):
        tmp.unlink()


def fsync_dir(directory: Path) -> None:
    """Make a rename in ``directory`` durable. Some file systems cannot fsync a folder; the rename
    stays atomic without it, so failures are ignored."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
