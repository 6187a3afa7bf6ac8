"""For tests of races: the same write tried by several threads at the same moment."""

import threading
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection


def at_once(
    attempt: Callable[..., Any],
    arguments: Iterable[tuple],
    *,
    ready: Callable[..., tuple] | None = None,
    timeout: float = 60,
) -> list:
    """``attempt(*args)`` for each ``args``, each in its own thread, all released together; what each gave.

    ``ready(*args)`` runs in the thread before the start and gives what the attempt takes (rows
    read on the thread's own connection, a signed-in client). An outcome is what the attempt
    returned, or the exception it raised; outcomes come in the order the threads ended. Each
    thread closes its database connection.
    """
    arguments = list(arguments)
    barrier = threading.Barrier(len(arguments))
    outcomes: list = []
    lock = threading.Lock()

    def run(*args) -> None:
        try:
            taken = ready(*args) if ready else args
            barrier.wait(timeout=timeout)
            outcome = attempt(*taken)
        except Exception as exc:  # noqa: BLE001 — the test says which failures it expects
            outcome = exc
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=args) for args in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return outcomes
