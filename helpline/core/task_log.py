"""The worker's log without a line for every task that ran as it should.

huey logs two INFO lines a task ("Executing ..." and "... executed in 0.004s"): under a load of 400
tickets a second that is a thousand lines a second of log saying nothing went wrong. ``QuietTasks`` drops
those two records unless the "huey" logger is set to DEBUG (``LOG_LEVEL=DEBUG``); what huey says about a
task that failed, is retried, expired or was scheduled stays, as do the consumer's own lines.
"""

import logging

ROUTINE = frozenset({"Executing %s", "%s executed in %0.3fs"})


class QuietTasks(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg in ROUTINE and record.levelno == logging.INFO:
            return logging.getLogger(record.name).getEffectiveLevel() <= logging.DEBUG
        return True
