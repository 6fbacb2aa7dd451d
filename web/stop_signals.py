"""Stopping long-running commands on Ctrl-C or SIGTERM, without a signal handler.

A Python signal handler runs in the main thread between any two bytecodes, so
one that sets a threading.Event can arrive while the main thread is itself
inside that Event and holds its (non-reentrant) lock: the process then never
exits. Instead the stop signals are blocked in every thread and the main thread
takes them with sigwait when it has nothing else to do.
"""

import signal

STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def hold_stop_signals() -> None:
    """Call first, before any thread starts: threads inherit the mask, so no
    thread is interrupted and a signal waits until wait_for_stop_signal()."""
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)


def wait_for_stop_signal() -> signal.Signals:
    return signal.Signals(signal.sigwait(STOP_SIGNALS))
