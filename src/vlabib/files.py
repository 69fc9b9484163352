"""Safe file writes: every file replaced whole, several files staged before any is replaced,
symlinks written through (inside the survey only), line endings kept, and the bib's lock.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import stat
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from vlabib.errors import VlabibError

_TMP_SUFFIX = ".tmp"


def atomic_write(path: Path, text: str | bytes, *, root: Path | None = None) -> None:
    """Replace *path* with *text* (or bytes, written as they are) so that readers see the
    old file or the new, never a mix. A symlink is written through to its target when that
    lies inside *root*."""
    write_all([(path, text)], root=root)


def write_all(writes: Sequence[tuple[Path, str | bytes]], *, root: Path | None = None) -> None:
    """Replace several files, all or none as far as the disk allows: each new text is first
    written and flushed beside its target; only when every one is staged are they renamed
    into place (renames within a directory do not fail for want of space)."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, text in writes:
            target = _target(path, root)
            data = text if isinstance(text, bytes) else _with_newlines(target, text).encode()
            staged.append((_stage(target, data), target))
    except BaseException:
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise
    for n, (tmp, target) in enumerate(staged):
        try:
            os.replace(tmp, target)
        except OSError as exc:
            for rest, _ in staged[n:]:
                with contextlib.suppress(OSError):
                    os.unlink(rest)
            raise VlabibError(f"{target}: cannot write: {exc.strerror or exc}") from None
    for folder in {target.parent for _, target in staged}:
        _sync_dir(folder)


def _target(path: Path, root: Path | None) -> Path:
    """Where writing *path* lands: a symlink's target when it stays inside *root*."""
    if not path.is_symlink():
        return path
    target = path.resolve()
    if root is not None and target.is_relative_to(root.resolve()):
        return target
    where = f"outside {root}" if root is not None else "a link vlabib does not follow here"
    raise VlabibError(
        f"{path}: a symlink to {target}, {where}; vlabib writes only inside the "
        "survey: make it a regular file, or point it inside"
    )


def _with_newlines(path: Path, text: str) -> str:
    """*text* with the line endings the file already has (CRLF stays CRLF)."""
    try:
        with path.open("rb") as f:
            first = f.readline(1 << 16)
    except OSError:
        return text
    if first.endswith(b"\r\n") and "\r\n" not in text:
        return text.replace("\n", "\r\n")
    return text


def _stage(path: Path, data: bytes) -> str:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=_TMP_SUFFIX, dir=path.parent)
    except OSError as exc:
        raise VlabibError(f"{path}: cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise VlabibError(f"{path}: cannot write: {exc.strerror or exc}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def _sync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: The largest input vlabib reads (a 100,000-paper bib is about 100 MiB).
MAX_INPUT = 512 * 1024 * 1024


def read_source(
    path: Path,
    display: str,
    error: type[VlabibError] = VlabibError,
    *,
    root: Path | None = None,
) -> str:
    """A file vlabib reads as input: UTF-8 (a BOM ignored), CRLF read as LF. A file that is
    not UTF-8, not a regular file (a FIFO, a device, a folder), over :data:`MAX_INPUT`, a
    symlink out of *root* (the survey), or unreadable is *error* naming the file (and the
    line); a missing one raises FileNotFoundError for the caller to explain."""
    return _decoded(_read_regular(path, display, error, root), display, error)


def read_source_digest(
    path: Path, display: str, error: type[VlabibError] = VlabibError
) -> tuple[str, bytes]:
    """:func:`read_source`, and a SHA-256 of the file's bytes: a key for everything made
    from its text (the same bytes always read as the same text), taken without encoding the
    text again (a 100,000-paper bib is 190 MB)."""
    data = _read_regular(path, display, error, None)
    return _decoded(data, display, error), hashlib.sha256(data).digest()


def _decoded(data: bytes, display: str, error: type[VlabibError]) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error(f"{display}:{line}: not UTF-8 text; save the file as UTF-8") from None
    text = text.removeprefix("\ufeff")
    return text.replace("\r\n", "\n") if "\r" in text else text


def _read_regular(path: Path, display: str, error: type[VlabibError], root: Path | None) -> bytes:
    try:
        real = path.resolve()
        info = real.stat()
    except FileNotFoundError:
        raise
    except (OSError, RuntimeError) as exc:
        raise error(f"{display}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    if root is not None and not real.is_relative_to(root.resolve()):
        raise error(f"{display}: a link to a file outside the survey; vlabib reads only inside it")
    if not stat.S_ISREG(info.st_mode):
        raise error(f"{display}: not a regular file (a folder, FIFO or device); make it a file")
    if info.st_size > MAX_INPUT:
        raise error(f"{display}: {info.st_size >> 20} MiB, more than vlabib reads; is it right?")
    try:
        with real.open("rb") as f:
            return f.read(MAX_INPUT + 1)
    except OSError as exc:
        raise error(f"{display}: cannot read: {exc.strerror or exc}") from None


def read_text(path: Path) -> str:
    """A text file as vlabib compares it: UTF-8, CRLF read as LF."""
    return path.read_text(encoding="utf-8").replace("\r\n", "\n")


def unchanged(path: Path, text: str) -> bool:
    """Whether *path* already holds *text* (line endings aside)."""
    try:
        return read_text(path) == text
    except (FileNotFoundError, UnicodeDecodeError, IsADirectoryError, NotADirectoryError):
        return False


def write_if_changed(path: Path, text: str, *, root: Path | None = None) -> bool:
    """Write *text* unless *path* already holds it; True when the file changed."""
    if unchanged(path, text):
        return False
    atomic_write(path, text, root=root)
    return True


def leftovers(path: Path) -> list[Path]:
    """Temporary files an interrupted write of *path* left beside it (a SIGKILL between
    staging and renaming); nothing else writes files by that name."""
    try:
        return sorted(path.parent.glob(f".{path.name}.*{_TMP_SUFFIX}"))
    except OSError:
        return []


def remove_stale_leftovers(path: Path, age: float = 60.0) -> list[Path]:
    """Remove what an interrupted write of *path* left, once it is older than *age* seconds
    (a write in flight takes milliseconds; a newer one may be another process's)."""
    removed = []
    now = time.time()
    for stale in leftovers(path):
        with contextlib.suppress(OSError):
            if now - stale.lstat().st_mtime > age:
                stale.unlink()
                removed.append(stale)
    return removed


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on *path* (a sibling ``.NAME.lock`` file) for a read-modify-write;
    temporary files that an interrupted write left are removed under it."""
    lock = path.with_name(f".{path.name}.lock")
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise VlabibError(f"{lock}: cannot create lock file: {exc.strerror}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        for stale in leftovers(path):
            with contextlib.suppress(OSError):
                stale.unlink()
        yield
    finally:
        os.close(fd)
