"""Test-only: each request the test client makes ends as a committed transaction would.

In production every request runs in autocommit, so what a view's writes leave for after commit
(transaction.on_commit: events, jobs, mail) happens as the view's transactions end. The suite runs
every test inside one transaction that never commits, so this middleware runs, at the end of each
request, the callbacks that request added, and removes them, as a real commit would.
"""

from django.db import connection


class CommitAtEndOfRequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return as_committed(self.get_response, request)


def as_committed(function, *args):
    """Call `function`, then run (and drop) the after-commit callbacks it left, as its commit would."""
    start = len(connection.run_on_commit)
    result = function(*args)
    while len(connection.run_on_commit) > start:
        pending = connection.run_on_commit[start:]
        del connection.run_on_commit[start:]
        for _savepoints, callback, _robust in pending:
            callback()
    return result
