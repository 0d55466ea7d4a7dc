"""A throwaway Redis server on a unix socket in a temporary directory, a direct child of this process;
``redis_server`` starts one for the test session."""

import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest


class TempRedis:
    """``with TempRedis() as server:`` gives ``server.url`` (``unix://...``); stopped and removed on exit.

    Kept as a child (no daemonizing) and waited on, so it stops at once and leaves nothing running."""

    def __init__(self) -> None:
        self.dir: Path | None = None
        self.url: str | None = None
        self._process: subprocess.Popen | None = None

    def start(self) -> "TempRedis":
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server not found (apt-get install redis-server)")
        self.dir = Path(tempfile.mkdtemp(prefix="helpline-redis-"))
        socket = self.dir / "redis.sock"
        self._process = subprocess.Popen(
            [binary, "--port", "0", "--unixsocket", str(socket), "--dir", str(self.dir)]
            + ["--save", "", "--appendonly", "no", "--logfile", str(self.dir / "redis.log")]
        )
        self.url = f"unix://{socket}"
        self._wait_until_ready()
        return self

    def _wait_until_ready(self) -> None:
        import redis

        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return
            except redis.exceptions.ConnectionError:
                if time.monotonic() > deadline or self._process.poll() is not None:
                    self.stop()
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.01)
            finally:
                client.close()

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(timeout=10)
            self._process = None
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    def __enter__(self) -> "TempRedis":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


@pytest.fixture(scope="session")
def redis_server() -> Iterator[TempRedis]:
    with TempRedis() as server:
        yield server
