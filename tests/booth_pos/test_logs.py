"""The log file a support person reads: crashes land in it whole, it rotates, it never breaks."""

from __future__ import annotations

import logging
import os
import re
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from booth_pos import logs
from booth_pos.logs import LOG_NAME, active_log_file, log_file, setup_logging, shutdown_logging

LINE = re.compile(
    r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d (?P<level>[A-Z]+) +"
    r"\[(?P<thread>[^\]]+)\] (?P<logger>\S+): (?P<message>.*)$"
)


@pytest.fixture
def data(tmp_path: Path) -> Iterator[Path]:
    """A booth's data folder; whatever a test set up is taken down afterwards."""
    yield tmp_path / "data"
    shutdown_logging()


@pytest.fixture
def console(monkeypatch: pytest.MonkeyPatch) -> list[BaseException]:
    """What reaches the sys.excepthook that was there before ours (the console, normally)."""
    seen: list[BaseException] = []
    monkeypatch.setattr(sys, "excepthook", lambda _type, exc, _tb: seen.append(exc))
    return seen


def records(path: Path) -> list[re.Match[str]]:
    """The log's lines that start a record (tracebacks follow on lines of their own)."""
    return [m for m in map(LINE.match, path.read_text("utf-8").splitlines()) if m]


def test_the_log_lives_in_the_data_folder(data: Path) -> None:
    path = setup_logging(data)
    assert path == log_file(data) == data / "logs" / LOG_NAME == active_log_file()
    assert path.is_file()


def test_a_line_says_when_how_bad_which_thread_and_who(data: Path) -> None:
    path = setup_logging(data)
    logging.getLogger("booth_pos.printing").info("已打印 LX01-000001")
    last = records(path)[-1]
    assert last["level"] == "INFO"
    assert last["thread"] == threading.current_thread().name
    assert last["logger"] == "booth_pos.printing"
    assert last["message"] == "已打印 LX01-000001"  # UTF-8, whatever the system's encoding


def test_a_crash_in_a_worker_thread_lands_in_the_log_with_its_traceback(data: Path) -> None:
    path = setup_logging(data)

    def print_receipts() -> None:
        raise ValueError("printer caught fire")

    worker = threading.Thread(target=print_receipts, name="print-worker")
    worker.start()
    worker.join()

    text = path.read_text("utf-8")
    crash = next(m for m in records(path) if m["level"] == "ERROR")
    assert crash["thread"] == "print-worker"
    assert "uncaught exception in thread print-worker" in crash["message"]
    assert "Traceback (most recent call last):" in text
    assert "in print_receipts" in text
    assert "ValueError: printer caught fire" in text


def test_an_uncaught_exception_lands_in_the_log_and_still_on_the_console(
    data: Path, console: list[BaseException]
) -> None:
    path = setup_logging(data)

    def close_day() -> None:
        raise ZeroDivisionError("no sales to average")

    try:
        close_day()
    except ZeroDivisionError:
        sys.excepthook(*sys.exc_info())

    text = path.read_text("utf-8")
    assert any(m["level"] == "CRITICAL" for m in records(path))
    assert "in close_day" in text
    assert "ZeroDivisionError: no sales to average" in text
    assert [str(exc) for exc in console] == ["no sales to average"]


def test_a_hook_never_raises_even_when_logging_cannot(
    data: Path, console: list[BaseException], monkeypatch: pytest.MonkeyPatch
) -> None:
    setup_logging(data)

    def broken(*_: object, **__: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(logs.log, "critical", broken)
    monkeypatch.setattr(logs.log, "error", broken)
    try:
        raise KeyError("lost")
    except KeyError:
        sys.excepthook(*sys.exc_info())  # must not raise
    worker = threading.Thread(target=lambda: 1 / 0, name="sync-worker")
    worker.start()
    worker.join()
    assert [type(exc) for exc in console] == [KeyError]  # the console still has it


def test_the_log_rotates_past_about_a_megabyte_and_keeps_five_old_files(data: Path) -> None:
    path = setup_logging(data)
    chatty = logging.getLogger("booth_pos.test")
    filler = "莲藕" * 250 + "x" * 500  # about 2 KB a record in UTF-8

    for _ in range(800):  # about 1.6 MB: one rotation
        chatty.info(filler)
    assert (path.parent / f"{LOG_NAME}.1").is_file()
    assert path.stat().st_size <= logs.MAX_BYTES

    for _ in range(4000):  # about 8 MB more: the oldest go
        chatty.info(filler)
    names = sorted(p.name for p in path.parent.iterdir())
    assert names == [LOG_NAME, *(f"{LOG_NAME}.{n}" for n in range(1, 6))]
    assert all(p.stat().st_size <= logs.MAX_BYTES for p in path.parent.iterdir())


def test_setting_up_twice_adds_no_second_handler(data: Path) -> None:
    root = logging.getLogger()
    before = len(root.handlers)
    setup_logging(data)
    path = setup_logging(data)
    assert len(root.handlers) == before + 1

    logging.getLogger("booth_pos.test").warning("once")
    assert [m["message"] for m in records(path)].count("once") == 1


def test_another_folder_moves_the_log(data: Path, tmp_path: Path) -> None:
    root = logging.getLogger()
    before = len(root.handlers)
    first = setup_logging(data)
    second = setup_logging(tmp_path / "other")
    assert len(root.handlers) == before + 1
    assert active_log_file() == second

    logging.getLogger("booth_pos.test").warning("after the move")
    assert "after the move" in second.read_text("utf-8")
    assert "after the move" not in first.read_text("utf-8")


def test_shutdown_puts_everything_back(data: Path) -> None:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    hooks = (sys.excepthook, threading.excepthook)

    setup_logging(data, console=True)
    assert (sys.excepthook, threading.excepthook) != hooks
    shutdown_logging()

    assert root.handlers == handlers and root.level == level
    assert (sys.excepthook, threading.excepthook) == hooks
    assert active_log_file() is None
    shutdown_logging()  # twice is harmless


def test_console_shows_warnings_and_an_uncaught_exception_once(
    data: Path, console: list[BaseException], capsys: pytest.CaptureFixture[str]
) -> None:
    setup_logging(data, console=True)
    logging.getLogger("booth_pos.test").info("quiet")
    logging.getLogger("booth_pos.test").warning("loud")
    try:
        raise RuntimeError("only once")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())
    err = capsys.readouterr().err
    assert "quiet" not in err
    assert "loud" in err
    assert [str(exc) for exc in console] == ["only once"]  # shown by the hook before ours,
    assert "only once" not in err  # not a second time by the console handler


def test_a_data_folder_in_the_way_means_no_log_file_and_no_crash(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "data"
    not_a_folder.write_text("a file, not a folder", encoding="utf-8")
    hooks = (sys.excepthook, threading.excepthook)
    try:
        assert setup_logging(not_a_folder) == log_file(not_a_folder)
        assert active_log_file() is None
        assert (sys.excepthook, threading.excepthook) == hooks  # Python's own stay
        logging.getLogger("booth_pos.test").warning("goes nowhere")
    finally:
        shutdown_logging()
    assert not_a_folder.read_text(encoding="utf-8") == "a file, not a folder"


def test_a_read_only_data_folder_means_no_log_file_and_no_crash(data: Path) -> None:
    data.mkdir()
    data.chmod(0o555)
    try:
        if os.access(data, os.W_OK):  # root, or a file system without permissions
            pytest.skip("this user can write to a read-only folder")
        assert setup_logging(data) == log_file(data)
        assert active_log_file() is None
        assert not (data / "logs").exists()
    finally:
        data.chmod(0o755)
