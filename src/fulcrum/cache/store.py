"""The cache directory and its entry files: per user, private, atomic, bounded, distrusted.

An entry is one ``marshal`` file of plain data (strings, numbers, tuples): never pickle, so reading
a file can at worst fail, never run code. Every entry is checked when read (its layout, fulcrum's
version, the key it was written for) and anything unexpected is a miss, never an error: a stale,
corrupt, truncated or foreign entry is ignored and overwritten by the next full run.
"""

from __future__ import annotations

import marshal
import os
import stat

from fulcrum import __version__

try:  # the BLAKE2 module alone: hashlib would also load OpenSSL (~3 ms of a cached answer)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - CPython always has it
    from hashlib import blake2b

TYPE_CHECKING = False  # not `typing` (see fulcrum.cache.replay)
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

#: The layout of an entry file; bump it when what an entry holds changes.
LAYOUT = 2
#: The first bytes of every entry file.
MAGIC = b"fulcrum-cache\x00"
SUFFIX = ".fulcrum-cache"
#: The most entries kept, and the most bytes in all: the oldest (by last write) go first.
MAX_ENTRIES = 64
MAX_BYTES = 64 * 1024 * 1024
#: An output bigger than this is not kept (a 10,000-item ranking as JSON is ~3 MB).
MAX_ENTRY_BYTES = 16 * 1024 * 1024
#: ``FULCRUM_NO_CACHE=1`` (any value but "" and "0") turns the cache off, as ``--no-cache`` does.
OFF_VARIABLE = "FULCRUM_NO_CACHE"


def disabled(env: Mapping[str, str] = os.environ) -> bool:
    """True when the environment turns the cache off."""
    return env.get(OFF_VARIABLE, "") not in ("", "0")


def cache_dir(env: Mapping[str, str] = os.environ) -> str | None:
    """``$XDG_CACHE_HOME/fulcrum``, else ``~/.cache/fulcrum``; None when there is no usable home."""
    base = env.get("XDG_CACHE_HOME", "")
    if not base or not os.path.isabs(base):  # the XDG spec: a relative value is ignored
        home = env.get("HOME", "") or os.path.expanduser("~")
        if not home or not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    return os.path.join(base, "fulcrum")


def private_dir(path: str, create: bool) -> bool:
    """True when ``path`` is a directory of ours that nobody else can write (made 0700 if asked).

    A directory owned by another user, writable by group or others, or a symlink is refused: its
    entries could have been planted by someone else.
    """
    try:
        if create:
            os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
            if not os.path.lexists(path):
                os.mkdir(path, mode=0o700)
        st = os.lstat(path)
    except OSError:
        return False
    return (
        stat.S_ISDIR(st.st_mode)
        and st.st_uid == os.geteuid()
        and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    )


def read_entry(path: str, key: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """The payload stored for ``key`` at ``path``, or None (missing, foreign, corrupt, truncated).

    An entry is ``MAGIC``, the BLAKE2 hash of the rest, then the marshal bytes of (layout,
    fulcrum's version, key, payload): the hash is checked before anything is unmarshalled, so a
    flipped or lost byte anywhere, or random bytes, are a miss (unmarshalling damaged bytes could
    read a string as another string, or a length field as a request for gigabytes).
    """
    try:
        with open(path, "rb") as f:
            st = os.fstat(f.fileno())
            if st.st_uid != os.geteuid() or st.st_size > MAX_ENTRY_BYTES + 65536:
                return None
            data = f.read()
        head = len(MAGIC) + 32
        body = data[head:]
        if data[: len(MAGIC)] != MAGIC or blake2b(body, digest_size=32).digest() != data[len(MAGIC) : head]:
            return None
        entry = marshal.loads(body)
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not (isinstance(entry, tuple) and len(entry) == 4 and entry[:3] == (LAYOUT, __version__, key)):
        return None
    return entry[3] if isinstance(entry[3], tuple) else None


def write_entry(folder: str, name: str, key: tuple[Any, ...], payload: tuple[Any, ...]) -> None:
    """Write an entry atomically (a private temporary file renamed over it), then prune the folder.

    Failures are silent: a cache that cannot be written only means the next run is a full one.
    """
    try:
        body = marshal.dumps((LAYOUT, __version__, key, payload))
    except ValueError:  # something marshal cannot hold: not kept
        return
    data = MAGIC + blake2b(body, digest_size=32).digest() + body
    if len(data) > MAX_ENTRY_BYTES or not private_dir(folder, create=True):
        return
    import tempfile

    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=folder)  # mode 0600
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, os.path.join(folder, name + SUFFIX))
        tmp = None
    except OSError:
        pass
    finally:
        if tmp is not None:
            try:  # noqa: SIM105 - contextlib is not imported on the fast path
                os.unlink(tmp)
            except OSError:
                pass
    prune(folder)


def entry_name(key: tuple[Any, ...]) -> str:
    """The name of the entry file kept for ``key`` (a hash of it; the entry repeats the key)."""
    return blake2b(repr(key).encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


def entry_path(key: tuple[Any, ...], env: Mapping[str, str] = os.environ) -> str | None:
    """Where the entry of ``key`` is kept (None: no cache folder)."""
    folder = cache_dir(env)
    return None if folder is None else os.path.join(folder, entry_name(key) + SUFFIX)


def keep_for_file(
    key: tuple[Any, ...],
    file: str,
    started_ns: int,
    data: tuple[Any, ...],
    env: Mapping[str, str] = os.environ,
    read: tuple[int, str] | None = None,
) -> None:
    """Keep ``data``, computed from ``file`` by a run that started at ``started_ns``, under ``key``
    with the file's path, size, mtime and hash, unless the file changed since (:func:`file_state`;
    ``read`` as there)."""
    folder = cache_dir(env)
    if folder is None:
        return
    state = file_state(file, started_ns, read)
    if state is not None:
        write_entry(folder, entry_name(key), key, (*state, *data))


def kept_for_file(key: tuple[Any, ...], env: Mapping[str, str] = os.environ) -> tuple[Any, ...] | None:
    """The data :func:`keep_for_file` kept under ``key``, if its file still has the same bytes."""
    folder = cache_dir(env)
    if folder is None or not private_dir(folder, create=False):
        return None
    payload = read_entry(os.path.join(folder, entry_name(key) + SUFFIX), key)
    if payload is None or len(payload) < 4 or not same_file(*payload[:4]):
        return None
    return payload[4:]


def file_state(
    file: str, started_ns: int, read: tuple[int, str] | None = None
) -> tuple[str, int, int, str] | None:
    """(real path, size, mtime, BLAKE2 hash of the bytes) to keep beside what a run computed from
    ``file``, or None when nothing should be kept: the file cannot be read, or it changed while the
    run went on (mtime at or after ``started_ns``, or in the future).

    ``read``: (size, hash) of the bytes the run really parsed (:func:`file_digest`). The hash kept
    is then theirs, not that of the file read again, which someone may have replaced meanwhile by
    a file with an older mtime (``cp -p``, ``rsync -a``, ``tar x``); its size must still match.
    """
    try:
        path = os.path.realpath(file)
        with open(path, "rb") as f:
            st = os.fstat(f.fileno())
            data = f.read() if read is None else b""
    except OSError:
        return None
    if st.st_mtime_ns >= started_ns:
        return None
    if read is None:
        return path, st.st_size, st.st_mtime_ns, file_digest(data)
    size, digest = read
    return None if size != st.st_size else (path, st.st_size, st.st_mtime_ns, digest)


def same_file(path: object, size: object, mtime: object, digest: object) -> bool:
    """True when the file at ``path`` still has this size, mtime and hash of its bytes (the same
    size and mtime with other bytes is another file); its bytes are then what this process read
    of it (:func:`note_read`)."""
    if not isinstance(path, str):
        return False
    try:
        with open(path, "rb") as f:
            st = os.fstat(f.fileno())
            if st.st_size != size or st.st_mtime_ns != mtime:
                return False
            data = f.read()
    except OSError:
        return False
    if file_digest(data) != digest:
        return False
    note_read(path, data)
    return True


#: What this process read last of a file: its real path and its bytes (:func:`bytes_read`).
_last_read: list[tuple[str, bytes]] = []


def note_read(name: str, data: bytes) -> None:
    """Remember that ``name`` was just read as ``data`` (by the loader, or to check a cache hit)."""
    _last_read[:] = [(os.path.realpath(name), data)]


def bytes_read(name: str) -> tuple[int, str] | None:
    """(size, hash) of the bytes ``name`` was last read as by this process, if it was the last
    file read: a result is kept beside the hash of the very bytes it was computed from, not of the
    file read again (which may have been replaced meanwhile by an older-dated file)."""
    if not _last_read or _last_read[0][0] != os.path.realpath(name):
        return None
    data = _last_read[0][1]
    return len(data), file_digest(data)


def file_digest(data: bytes) -> str:
    """The hash a file's bytes are kept and checked by."""
    return blake2b(data, digest_size=32).hexdigest()


def prune(folder: str, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> None:
    """Remove the oldest entries until at most ``max_entries`` remain within ``max_bytes``."""
    try:
        entries = []
        with os.scandir(folder) as it:
            for e in it:
                if e.name.endswith(SUFFIX) and e.is_file(follow_symlinks=False):
                    st = e.stat(follow_symlinks=False)
                    entries.append((st.st_mtime_ns, st.st_size, e.path))
    except OSError:
        return
    entries.sort(reverse=True)  # newest first
    total = 0
    for n, (_, size, path) in enumerate(entries):
        total += size
        if n >= max_entries or total > max_bytes:
            try:  # noqa: SIM105
                os.unlink(path)
            except OSError:
                pass
