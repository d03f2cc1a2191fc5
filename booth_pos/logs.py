"""The booth's log file: what a support person reads when something went wrong.

`setup_logging(data_dir)` sends the root logger to `DATA_DIR/logs/booth-pos.log` (rotated at
about 1 MB, five old files kept) and installs `sys.excepthook` and `threading.excepthook`, so
an uncaught exception, in the GUI thread or in a worker thread, lands there with its whole
traceback. Each line reads

    2026-02-10T14:03:05.123+08:00 ERROR    [print-worker] booth_pos.logs: uncaught exception ...

Nothing here imports Qt (booth_pos.ui.qt_log adds Qt's own messages). If the folder cannot
be written, the program runs on without a log file.
"""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import TracebackType

LOG_NAME = "booth-pos.log"
LOG_FOLDER = "logs"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
FORMAT = "%(asctime)s %(levelname)-8s [%(threadName)s] %(name)s: %(message)s"
CONSOLE_LEVEL = logging.WARNING
QUIET = ("alembic.runtime.plugins",)  # chatter below WARNING from these is left out
# urllib3 warns on every connection retry; the sync worker logs the link's failures itself.
RETRY_CHATTER = "urllib3.connectionpool"

log = logging.getLogger(__name__)

SysHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]
ThreadHook = Callable[[threading.ExceptHookArgs], object]


def log_file(data_dir: Path) -> Path:
    """Where the log of the booth whose data folder is `data_dir` is written."""
    return data_dir / LOG_FOLDER / LOG_NAME


class _Formatter(logging.Formatter):
    """ISO 8601 local time with milliseconds and the UTC offset."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        moment = datetime.fromtimestamp(record.created).astimezone()
        return moment.isoformat(timespec="milliseconds")


def _not_chatter(record: logging.LogRecord) -> bool:
    if record.name == RETRY_CHATTER and record.levelno < logging.ERROR:
        return False
    return record.levelno >= logging.WARNING or not record.name.startswith(QUIET)


def _not_chained(record: logging.LogRecord) -> bool:
    """Console filter: what the previous sys.excepthook prints already is not printed twice."""
    return not getattr(record, "booth_pos_chained", False)


@dataclass
class _State:
    folder: Path | None = None
    file_handler: logging.Handler | None = None
    console_handler: logging.Handler | None = None
    root_level: int | None = None  # the root logger's level before ours
    sys_hook: SysHook | None = None  # the hooks before ours
    thread_hook: ThreadHook | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


_state = _State()


def active_log_file() -> Path | None:
    """The file the log goes to now, or None (not set up, or the folder cannot be written)."""
    if _state.file_handler is None or _state.folder is None:
        return None
    return log_file(_state.folder)


def setup_logging(data_dir: Path, *, console: bool = False) -> Path:
    """Log to `log_file(data_dir)` (and, with `console`, warnings and worse to stderr).

    Calling it again with the same folder changes nothing; with another folder, the log moves
    there. Returns the log file's path, also when the folder cannot be written (the program
    then runs without a log file).
    """
    path = log_file(data_dir)
    with _state.lock:
        if (
            _state.folder == data_dir
            and _state.file_handler is not None
            and (_state.console_handler is not None) == console
        ):
            return path
        _detach()
        formatter = _Formatter(FORMAT)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handler: logging.Handler | None = logging.handlers.RotatingFileHandler(
                path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
            )
        except OSError:
            handler = None
        if console:
            stream = logging.StreamHandler(sys.stderr)
            stream.setLevel(CONSOLE_LEVEL)
            stream.addFilter(_not_chained)
            _state.console_handler = stream
        if handler is None and _state.console_handler is None:
            return path  # nowhere to log: Python's own defaults stay as they were
        root = logging.getLogger()
        _state.root_level = root.level
        root.setLevel(logging.INFO)
        for attached in (handler, _state.console_handler):
            if attached is not None:
                attached.setFormatter(formatter)
                attached.addFilter(_not_chatter)
                root.addHandler(attached)
        _state.folder, _state.file_handler = data_dir, handler
        _install_hooks()
    if handler is not None:
        from booth_pos import __version__

        log.info(
            "booth-pos %s, Python %s on %s, logging to %s",
            __version__,
            sys.version.split()[0],
            sys.platform,
            path,
        )
    return path


def shutdown_logging() -> None:
    """Detach and close our handlers and put back the hooks and the level found before."""
    with _state.lock:
        _detach()


def _detach() -> None:
    root = logging.getLogger()
    for handler in (_state.file_handler, _state.console_handler):
        if handler is not None:
            root.removeHandler(handler)
            handler.close()
    if _state.root_level is not None:
        root.setLevel(_state.root_level)
    _uninstall_hooks()
    _state.folder = _state.file_handler = _state.console_handler = None
    _state.root_level = None


# --- uncaught exceptions -------------------------------------------------------------------------


def _sys_hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    try:
        if issubclass(exc_type, KeyboardInterrupt):
            log.info("interrupted (Ctrl+C)", extra={"booth_pos_chained": True})
        else:
            log.critical(
                "uncaught exception",
                exc_info=(exc_type, exc, tb),
                extra={"booth_pos_chained": True},
            )
    except Exception:  # a hook that raises would hide the exception it was given
        pass
    previous = _state.sys_hook or sys.__excepthook__
    try:
        previous(exc_type, exc, tb)  # the console shows it as before
    except Exception:
        with contextlib.suppress(Exception):
            sys.__excepthook__(exc_type, exc, tb)


def _thread_hook(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:  # threading's own hook ignores it too
        return
    try:
        name = args.thread.name if args.thread is not None else "?"
        exc = args.exc_value if args.exc_value is not None else args.exc_type()
        log.error(
            "uncaught exception in thread %s",
            name,
            exc_info=(args.exc_type, exc, args.exc_traceback),
        )
    except Exception:
        pass


def _install_hooks() -> None:
    if sys.excepthook is not _sys_hook:
        _state.sys_hook = sys.excepthook
        sys.excepthook = _sys_hook
    if threading.excepthook is not _thread_hook:
        _state.thread_hook = threading.excepthook
        threading.excepthook = _thread_hook


def _uninstall_hooks() -> None:
    if sys.excepthook is _sys_hook:
        sys.excepthook = _state.sys_hook or sys.__excepthook__
    if threading.excepthook is _thread_hook:
        threading.excepthook = _state.thread_hook or threading.__excepthook__
    _state.sys_hook = _state.thread_hook = None
