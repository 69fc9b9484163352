"""The ``vlabib`` command line: thin Click commands over the library. This package is the
only place that imports click; each command imports the library modules it needs, so that
``vlabib --help`` and the quick commands start fast.
"""

from vlabib.cli import browse, changes, current, outputs, reorganise, start, sync
from vlabib.cli.app import UserError, main, project_of, run

__all__ = [
    "UserError",
    "browse",
    "changes",
    "current",
    "main",
    "outputs",
    "project_of",
    "reorganise",
    "run",
    "start",
    "sync",
]
