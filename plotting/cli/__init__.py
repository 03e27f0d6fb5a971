"""Command line: ``marker-trends COMMAND``, one module per command.

Exit status: 0 success; 2 a mistake the user can fix (usage, option values, data,
paths), with a message saying what to change and no traceback; 1 anything
unexpected (``--debug`` shows its traceback); 130 interrupted; 143 terminated;
141 when stdout is closed early (``| head``).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import traceback

__all__ = ["UsageError", "build_parser", "main"]


def __getattr__(name):
    # The commands (matplotlib, pandas) are imported by main, once it has taken
    # over Ctrl-C and SIGTERM: a signal during their import is reported too.
    if name == "COMMANDS":
        return _commands()
    if name == "UsageError":
        from .common import UsageError

        return UsageError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _commands():
    from . import (
        aligned,
        batch,
        check,
        example,
        grid,
        import_,
        kinetics,
        render,
        synthetic,
    )

    # example first: its line in the help writes data/yu2020, which the others
    # read.
    return (example, render, check, kinetics, batch, aligned, grid, synthetic, import_)


class Terminated(BaseException):
    """Raised in the main thread when the process is sent SIGTERM.

    A BaseException, like KeyboardInterrupt, so that no ``except Exception``
    on the way swallows it and files being written are cleaned up.
    """


def build_parser():
    """Return the parser of every command."""
    from .parser import build_parser

    return build_parser(_commands())


def main(argv=None) -> int:
    """Run the command line; return the exit status.

    Parameters
    ----------
    argv : list of str, optional
        The arguments after the program name; defaults to ``sys.argv[1:]``.

    Returns
    -------
    int
        0 success, 2 a mistake in the command or the data, 1 an unexpected error,
        130 interrupted (Ctrl-C), 143 terminated (SIGTERM).
    """
    with _terminate_by_exception():
        try:
            return _run(argv)
        except KeyboardInterrupt:
            _say("interrupted")
            return 130
        except Terminated:
            _say("terminated")
            return 143


def _say(message: str) -> None:
    # Not common.say: the signal may have come while common was imported.
    print(f"marker-trends: {message}", file=sys.stderr)


def _run(argv) -> int:
    from ..core.errors import CaseDataError, InputError
    from .common import UsageError, say
    from .parser import protect_negative_windows

    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        args = build_parser().parse_args(protect_negative_windows(argv))
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        status = args.run(args)
        # Flushed here, so that a reader gone from a pipe is noticed below.
        sys.stdout.flush()
        return status
    except UsageError as err:
        say(str(err))
    except CaseDataError as err:
        print(err, file=sys.stderr)
    except InputError as err:
        say(str(err))
    except BrokenPipeError:
        # Whoever read stdout has gone (``| head``): exit quietly, as a process
        # killed by SIGPIPE would, with nothing left to flush at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 128 + signal.SIGPIPE
    except Exception as err:
        if getattr(args, "debug", False):
            traceback.print_exc()
        say(
            f"unexpected error: {type(err).__name__}: {err} "
            "(rerun with --debug for the traceback)"
        )
        return 1
    return 2


def _raise_terminated(signum, frame):
    raise Terminated


@contextlib.contextmanager
def _terminate_by_exception():
    """Turn SIGTERM into :class:`Terminated` while the command runs."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)
