"""What vlabib remembers between runs is served back only as it was made: a value under
another key, an edited body, a torn or foreign file are misses, never values."""

from __future__ import annotations

from pathlib import Path

import pytest

from vlabib import memo


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "cache" / "things"  # the conftest points VLABIB_CACHE_DIR at tmp/cache


def test_a_value_comes_back_under_its_own_key_only(folder: Path) -> None:
    key, other = memo.digest("a", "bc"), memo.digest("ab", "c")
    assert key != other  # parts are length-prefixed
    memo.remember("things", key, [("x", 1, {"t": "ü"}, True)])
    assert memo.recall("things", key) == [("x", 1, {"t": "ü"}, True)]
    assert memo.recall("things", other) is None
    assert (folder / "key").stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("damage", ["edited", "torn", "swapped", "foreign", "new secret"])
def test_a_damaged_or_forged_entry_is_a_miss(folder: Path, damage: str) -> None:
    key, other = memo.digest("one"), memo.digest("two")
    memo.remember("things", key, ["sound"])
    memo.remember("things", other, ["other"])
    entry = folder / f"{key.hex()}.bin"
    mac, _, body = entry.read_bytes().partition(b"\n")
    if damage == "edited":
        entry.write_bytes(mac + b"\n" + body.replace(b"sound", b"forge"))
    elif damage == "torn":
        entry.write_bytes(entry.read_bytes()[:-3])
    elif damage == "swapped":  # a sound entry of another key, under this key's name
        entry.write_bytes((folder / f"{other.hex()}.bin").read_bytes())
    elif damage == "foreign":
        entry.write_bytes(b"not a mac\n\x00\x01")
    else:  # the secret replaced: every entry made with the old one is worthless
        (folder / "key").write_bytes(b"k" * 32)
    assert memo.recall("things", key) is None


def test_a_few_entries_are_kept(folder: Path) -> None:
    for n in range(7):
        memo.remember("things", memo.digest(str(n)), n)
    assert len(list(folder.glob("*.bin"))) == 4
    assert memo.recall("things", memo.digest("6")) == 6


def test_a_write_cut_short_is_cleared_away_in_time(folder: Path) -> None:
    """A process killed while it wrote an entry (a child whose parent failed) leaves a
    staged file: a later write removes it once it is older than any write takes."""
    import os

    memo.remember("things", memo.digest("0"), 0)
    old, fresh = folder / ".aa.0000.tmp", folder / ".bb.1111.tmp"
    old.write_bytes(b"half an entry")
    fresh.write_bytes(b"being written now")
    os.utime(old, (1, 1))
    memo.remember("things", memo.digest("1"), 1)
    assert not old.exists()
    assert fresh.exists()  # it may be another process's write in progress


def test_an_unwritable_cache_is_no_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("VLABIB_CACHE_DIR", str(tmp_path / "file"))
    memo.remember("things", memo.digest("x"), 1)
    assert memo.recall("things", memo.digest("x")) is None
