"""One scheduler for the whole deployment, however many hosts start one: the first to take the lock runs
the jobs, the others wait and take over when it stops. PostgreSQL: a session advisory lock on a connection
of its own (released by PostgreSQL when the process dies); SQLite: an exclusive lock on a file beside the
database (released by the kernel)."""
import fcntl
import os
import time
from pathlib import Path

from sqlalchemy import text

#: the advisory lock's key: "replyflow scheduler" as a 64-bit number
ADVISORY_KEY = 0x7265706C79666C77


class SchedulerLock:
    def __init__(self, engine):
        self.engine = engine
        self._connection = None
        self._file = None

    @property
    def where(self) -> str:
        if self.engine.dialect.name == "postgresql":
            return f"PostgreSQL advisory lock {ADVISORY_KEY}"
        return str(self._path())

    def _path(self) -> Path:
        database = self.engine.url.database
        if not database or database == ":memory:":
            return Path(os.environ.get("TMPDIR", "/tmp")) / "replyflow-scheduler.lock"
        return Path(database).with_suffix(".scheduler.lock")

    def try_acquire(self) -> bool:
        if self.engine.dialect.name == "postgresql":
            connection = self.engine.connect()
            if connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_KEY}).scalar():
                connection.commit()
                self._connection = connection
                return True
            connection.close()
            return False
        handle = open(self._path(), "a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._file = handle
        return True

    def wait(self, every: float, echo=print):
        """Take the lock, waiting as long as another process holds it."""
        told = False
        while not self.try_acquire():
            if not told:
                echo(f"another scheduler holds {self.where}: standing by, trying every {every:g} s")
                told = True
            time.sleep(every)

    def release(self):
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None
