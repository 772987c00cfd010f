"""The output cache of the printing commands: a repeated command answers from its last output.

A command that reads one backlog and prints (``rank``, ``explain``, ``matrix``, ``plan``) is a pure
function of the command line, the file's bytes, the code, and a few things of its surroundings (the
folder it runs in, today's date, the terminal, a handful of environment variables). A run that
succeeds records what it wrote to stdout and stderr, in order; the next run with the same request
and the same file bytes writes that again without importing pydantic, tomli or a model.

- The request key: fulcrum's version, the format version, a fingerprint of the installed code (each
  source file's size and mtime), the arguments, the working folder, today's date (local and UTC),
  which streams are terminals and the terminal's size, and the environment variables that can
  change an output. It names the entry file (a hash), and the entry repeats it in full.
- The file check: the entry holds the backlog's path, size, mtime and a BLAKE2 hash of its bytes.
  A hit needs all four to match, so the same size and mtime with other bytes is a miss.
- A run whose file changed while it ran (mtime at or after the run's start) is not stored.
"""

from __future__ import annotations

import io
import os
import sys
import time

from fulcrum.cache.store import blake2b, disabled, entry_path, keep_for_file, kept_for_file

TYPE_CHECKING = False  # not `typing`: importing it costs ~10 ms of a cached answer's ~40
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any, TextIO

#: The commands whose successful output is kept (each reads one FILE and writes only to stdout/stderr).
#: `rank` also keeps the file's scoring table (fulcrum.cache.derived), which serves every other
#: lens, method and format; its output kept here answers the very same request again.
CACHED_COMMANDS = ("rank", "explain", "matrix", "plan")
#: The commands that take ``--no-cache``.
NO_CACHE_COMMANDS = CACHED_COMMANDS
#: The command-line switch that turns the cache off for one run.
NO_CACHE_FLAG = "--no-cache"
#: The backlog format the outputs were computed for (docs/FORMAT.md).
FORMAT_VERSION = "1.1"
#: Environment variables an output may depend on (colour, terminal size, dates, debugging).
_ENV = (
    "NO_COLOR",
    "FORCE_COLOR",
    "TERM",
    "COLUMNS",
    "LINES",
    "TZ",
    "SOURCE_DATE_EPOCH",
    "LANG",
    "LC_ALL",
    "LC_CTYPE",
    "PYTHONIOENCODING",
    "PYTHONUTF8",
)
#: The libraries whose version can change an output (the solver's ties, the parser, the chart).
_DEPENDENCIES = ("pydantic", "pydantic_core", "tomli", "toml_rs", "highspy", "plotext")
_PACKAGE = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))


def wanted(argv: Sequence[str], env: Mapping[str, str] = os.environ) -> bool:
    """True when this command line may use the cache (a cached command, not turned off)."""
    return bool(argv) and argv[0] in CACHED_COMMANDS and NO_CACHE_FLAG not in argv and not disabled(env)


_fingerprint: list[str] = []


def code_fingerprint() -> str:
    """A digest of every source file of the installed package (path, size, mtime) and of the
    installed versions of the libraries an output depends on: new code, new key."""
    if not _fingerprint:
        h = blake2b(digest_size=16)
        for root, dirs, files in os.walk(_PACKAGE):
            dirs.sort()
            for name in sorted(files):
                if name.endswith((".py", ".toml", ".tcss")):
                    try:
                        st = os.stat(os.path.join(root, name))
                    except OSError:  # gone since the listing (an editor's temporary file)
                        continue
                    h.update(f"{root}/{name}:{st.st_size}:{st.st_mtime_ns}\n".encode())
        for folder in sys.path:  # "highspy-1.16.0.dist-info": the version is in the name
            try:
                names = sorted(n for n in os.listdir(folder or ".") if n.endswith(".dist-info"))
            except OSError:
                continue
            for n in names:
                if n.split("-", 1)[0].lower() in _DEPENDENCIES:
                    h.update(f"{folder}/{n}\n".encode())
        _fingerprint.append(h.hexdigest())
    return _fingerprint[0]


def request_key(argv: Sequence[str], env: Mapping[str, str] = os.environ) -> tuple[Any, ...]:
    """Everything besides the file's bytes that the output of ``argv`` may depend on."""
    ttys = tuple(_isatty(fd) for fd in (0, 1, 2))
    try:
        size: tuple[int, int] | None = tuple(os.get_terminal_size(1)) if ttys[1] else None  # type: ignore[assignment]
    except OSError:
        size = None
    return (
        FORMAT_VERSION,
        code_fingerprint(),
        sys.version,
        tuple(argv),
        os.getcwd(),
        time.strftime("%Y-%m-%d", time.localtime()),
        time.strftime("%Y-%m-%d", time.gmtime()),
        ttys,
        size,
        tuple(env.get(k) for k in _ENV),
    )


def _isatty(fd: int) -> bool:
    try:
        return os.isatty(fd)
    except OSError:
        return False


Chunks = tuple[tuple[int, str], ...]


def entry_file(argv: Sequence[str], env: Mapping[str, str] = os.environ) -> str | None:
    """Where the entry of this request is kept (None: no cache folder)."""
    return entry_path(request_key(argv, env), env)


def lookup(argv: Sequence[str], env: Mapping[str, str] = os.environ) -> tuple[int, Chunks] | None:
    """(exit code, what to write) of the last successful run of this request, if it still holds."""
    kept = kept_for_file(request_key(argv, env), env)
    if kept is None or len(kept) != 2:
        return None
    code, chunks = kept
    if not (isinstance(code, int) and isinstance(chunks, tuple)):
        return None
    for chunk in chunks:
        if not (
            isinstance(chunk, tuple) and len(chunk) == 2 and chunk[0] in (1, 2) and isinstance(chunk[1], str)
        ):
            return None
    return code, chunks


def store(
    argv: Sequence[str],
    file: str,
    code: int,
    chunks: Chunks,
    started_ns: int,
    read: tuple[int, str] | None,
    env: Mapping[str, str] = os.environ,
) -> None:
    """Keep the output of a successful run that read ``file`` as bytes of (size, hash) ``read``
    (unless the file changed meanwhile: ``store.file_state``)."""
    if read is None:  # the run read no file (or not this one): nothing to check a hit against
        return
    runs: list[tuple[int, list[str]]] = []
    for fd, text in chunks:  # consecutive writes to one stream as one piece (joined once: linear)
        if runs and runs[-1][0] == fd:
            runs[-1][1].append(text)
        elif text:
            runs.append((fd, [text]))
    merged = tuple((fd, "".join(texts)) for fd, texts in runs)
    keep_for_file(request_key(argv, env), file, started_ns, (code, merged), env, read)


class Recorder:
    """Stands in for stdout and stderr while a command runs: keeps what each gets, in order."""

    def __init__(self, real: tuple[TextIO, TextIO]) -> None:
        self.real = real
        self.chunks: list[tuple[int, str]] = []
        self.started_ns = time.time_ns()

    def stream(self, fd: int) -> TextIO:
        return _Tee(self, fd, self.real[fd - 1])  # type: ignore[return-value]

    def write_out(self) -> None:
        """Write what was recorded to the real streams, in order, and flush them."""
        play(tuple(self.chunks), self.real)


def play(chunks: Chunks, streams: tuple[TextIO, TextIO]) -> None:
    """Write each (1 = stdout, 2 = stderr) chunk to its stream, then flush both."""
    for fd, text in chunks:
        streams[fd - 1].write(text)
    for s in streams:
        s.flush()


class _Tee(io.TextIOBase):
    """A text stream that records writes; asks the real stream whether it is a terminal."""

    def __init__(self, recorder: Recorder, fd: int, real: TextIO) -> None:
        self._recorder, self._fd, self._real = recorder, fd, real

    def write(self, text: str) -> int:
        self._recorder.chunks.append((self._fd, text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def isatty(self) -> bool:
        return self._real.isatty()

    def fileno(self) -> int:
        return self._real.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._real.encoding

    def flush(self) -> None:
        pass
