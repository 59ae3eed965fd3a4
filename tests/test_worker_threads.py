"""gunicorn's gthread workers serve several requests at once in one process: what a process
keeps for all its requests must hold when its threads read and replace it together."""

import sys
import threading

import pytest

from probono.caching import kept_in_process


@pytest.fixture
def frequent_thread_switches():
    """Threads switch every microsecond instead of every 5 ms, so that a race shows at once."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(interval)


def test_threads_keep_and_drop_copies_under_moving_versions_without_an_error(
    frequent_thread_switches,
):
    errors = []

    def request_after_request(thread):
        try:
            for number in range(5000):
                # Three data versions in turn, as writes would move them, and a few keys each.
                key = f"directory:{number % 3}.{thread % 2}:counts-{number % 13}"
                assert kept_in_process(key, lambda key=key: key) == key
        except Exception as error:
            errors.append(repr(error))

    threads = [threading.Thread(target=request_after_request, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
