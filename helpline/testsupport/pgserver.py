"""A throwaway PostgreSQL server in a temporary directory, for one test run."""

import glob
import os
import shutil
import subprocess
import sys
import tempfile


def pg_bindir() -> str:
    found = shutil.which("pg_ctl")
    if found:
        return os.path.dirname(os.path.realpath(found))
    try:
        return subprocess.run(
            ["pg_config", "--bindir"], check=True, capture_output=True, text=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        pass
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
    if not candidates:
        raise RuntimeError("PostgreSQL server binaries not found (apt-get install postgresql)")
    return candidates[-1]


class TempPostgres:
    def __init__(self, user: str = "helpline", dbname: str = "helpline"):
        self.user, self.dbname = user, dbname
        self.dir: str | None = None
        self.url: str | None = None

    def _run(self, tool: str, *args: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run(
            prefix + [os.path.join(pg_bindir(), tool), *args],
            cwd=self.dir,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )

    def start(self) -> "TempPostgres":
        self.dir = tempfile.mkdtemp(prefix="helpline-pg-")
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        data = os.path.join(self.dir, "data")
        self._run(
            "initdb",
            "-D",
            data,
            "-A",
            "trust",
            "-U",
            self.user,
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        opts = (
            f"-k {self.dir} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c max_connections=200 "
            # No background ANALYZE: the query-plan tests ask what the planner does with the statistics
            # they set themselves, not with whatever rows another test happened to leave at that moment.
            "-c autovacuum=off"
        )
        self._run("pg_ctl", "-D", data, "-l", os.path.join(self.dir, "server.log"), "-w", "-o", opts, "start")
        self.url = f"postgres://{self.user}@/{self.dbname}?host={self.dir}"
        return self

    def stop(self) -> None:
        if self.dir:
            try:
                self._run("pg_ctl", "-D", os.path.join(self.dir, "data"), "-m", "fast", "-w", "stop")
            finally:
                shutil.rmtree(self.dir, ignore_errors=True)
                self.dir = None

    def __enter__(self) -> "TempPostgres":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


if __name__ == "__main__":  # python -m helpline.testsupport.pgserver -- command args...
    command = sys.argv[sys.argv.index("--") + 1 :] if "--" in sys.argv else sys.argv[1:]
    with TempPostgres() as server:
        sys.exit(subprocess.run(command, env={**os.environ, "DATABASE_URL": server.url}).returncode)
