"""The write path over HTTP: tickets opened per second through the staff new-ticket form, the portal form and
the API's ``POST /api/v1/tickets`` (with an API key) and osTicket's ticket API (``POST /api/tickets.json``),
against gunicorn with the task queue's worker (``manage.py run_huey``) running beside it, as in production.

The load comes from wrk (C, with a Lua script that GETs each form and POSTs it filled in, one person per
connection), so the generator takes little of the CPU it measures; the CPU each part used is reported.
"""

import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

from helpline.benchmarks.profiling import sampled

CLIENTS = 8
LUA = Path(__file__).with_name("open_tickets.lua")
API_LUA = Path(__file__).with_name("api_tickets.lua")
BENCH_SUBJECT = "Write-path ticket "


@dataclass
class WriteResult:
    name: str
    tickets_per_second: float
    opened: int
    failed: int
    statuses: dict[str, int]
    post_median_ms: float
    post_p95_ms: float
    post_max_ms: float
    get_median_ms: float
    cpu_seconds: dict[str, float] = field(default_factory=dict)
    # CPU per ticket opened, which contention from other processes on the machine does not change.
    cpu_ms_per_ticket: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0
    # How long after the load the worker had run everything it queued (None: not within 180 s).
    queue_drained_seconds: float | None = None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def process_tree_cpu(pid: int) -> float:
    """User and system CPU seconds of a process and its living descendants, from /proc."""
    total, pending, tick = 0.0, [pid], os.sysconf("SC_CLK_TCK")
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


# How much lower the web's and the worker's CPU priority is than the batch writer's (README, "Deploying").
BELOW_WRITER = 5


class Servers:
    """gunicorn and ``run_huey`` on the benchmark's database, started and stopped together."""

    def __init__(self, env: dict[str, str], gunicorn_args: list[str], worker_args: list[str]):
        self.env, self.gunicorn_args, self.worker_args = env, gunicorn_args, worker_args
        self.port = free_port()
        self.web: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None
        self.writer: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> "Servers":
        root = Path(__file__).resolve().parents[2]
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "cwd": root, "env": self.env}
        # On SQLite the doors' openings go through the batch writer, as ``make run`` serves them; the web
        # and the worker run at a lower CPU priority than the writer, the serial part every door waits for.
        on_sqlite = self.env.get("DATABASE_URL", "sqlite:").startswith("sqlite:")
        lower: list[str] = []
        if on_sqlite and os.environ.get("BENCH_BATCH_WRITER", "1") != "0":
            writer = [sys.executable, "manage.py", "run_batch_writer"]
            self.writer = subprocess.Popen(writer, **(quiet | {"stdout": subprocess.PIPE, "text": True}))  # noqa: S603
            if "listening" not in (self.writer.stdout.readline() if self.writer.stdout else ""):
                self.__exit__()
                raise RuntimeError("the batch writer did not start")
            lower = ["nice", "-n", str(BELOW_WRITER)]
        gunicorn = [sys.executable, "-m", "gunicorn", "helpline.config.wsgi", "-b", f"127.0.0.1:{self.port}"]
        self.web = subprocess.Popen([*lower, *gunicorn, *self.gunicorn_args], **quiet)  # noqa: S603
        worker = [*lower, sys.executable, "manage.py", "run_huey", *self.worker_args]
        self.worker = subprocess.Popen(worker, **quiet)  # noqa: S603
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{self.base}/health", timeout=2) as answer:  # noqa: S310
                    if answer.status == 200:
                        return self
            except OSError:
                if time.monotonic() > deadline or self.web.poll() is not None:
                    self.__exit__()
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.1)

    def __exit__(self, *exc) -> None:
        for process in (self.web, self.worker, self.writer):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in (self.web, self.worker, self.writer):
            if process is not None:
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()

    def cpu(self) -> dict[str, float]:
        # The batch writer does the doors' writes: its CPU is the web's.
        writer = process_tree_cpu(self.writer.pid) if self.writer is not None else 0.0
        return {"web": process_tree_cpu(self.web.pid) + writer, "worker": process_tree_cpu(self.worker.pid)}


def run_wrk(base: str, seconds: int, args: list[str], script: Path = LUA) -> tuple[dict, float]:
    """Run wrk; its JSON summary line and the CPU seconds it used itself (from its rusage)."""
    # A slow answer is measured, not dropped: wrk's default 2 s timeout would count it as an error.
    command = ["wrk", f"-t{CLIENTS}", f"-c{CLIENTS}", f"-d{seconds}s", "--timeout", "30s", "-s", str(script)]
    command += [base, "--", *args]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)  # noqa: S603
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"wrk failed ({process.returncode}): {output[-2000:]}")
    line = next(line for line in output.splitlines() if line.startswith("{"))
    return json.loads(line), usage.ru_utime + usage.ru_stime


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] if ordered else 0.0


def measure_form(
    servers: Servers, name: str, args: list[str], seconds: int, script: Path = LUA
) -> WriteResult:
    run_wrk(servers.base, 3, args, script)  # warm up: imports, templates, connections, SQLite pages
    wait_for_the_queue(timeout=180)
    before = servers.cpu()
    with sampled({"web": servers.web.pid, "worker": servers.worker.pid}, name, seconds):
        summary, generator_cpu = run_wrk(servers.base, seconds, args, script)
    web = servers.cpu()["web"] - before["web"]
    # The worker's share counts until it has done everything the load queued.
    drained = wait_for_the_queue(timeout=180)
    worker = servers.cpu()["worker"] - before["worker"]
    elapsed = summary["duration_us"] / 1e6
    posts, gets, opened = summary["post_us"], summary["get_us"], summary["opened"]
    cpu = {"web": web, "worker": worker, "wrk": generator_cpu}
    return WriteResult(
        name=name,
        tickets_per_second=round(opened / elapsed, 1),
        opened=opened,
        failed=summary["refused"] + summary["broken_forms"] + summary["socket_errors"],
        statuses=summary["statuses"] | {"socket errors": summary["socket_errors"]},
        post_median_ms=round(statistics.median(posts) / 1000, 1) if posts else 0.0,
        post_p95_ms=round(percentile(posts, 0.95) / 1000, 1),
        post_max_ms=round(max(posts, default=0) / 1000, 1),
        get_median_ms=round(statistics.median(gets) / 1000, 1) if gets else 0.0,
        cpu_seconds={part: round(used, 1) for part, used in cpu.items()},
        cpu_ms_per_ticket={part: round(used * 1000 / opened, 1) for part, used in cpu.items() if opened},
        seconds=round(elapsed, 1),
        queue_drained_seconds=drained,
    )


def agent_sessions(username: str, count: int) -> list[str]:
    """Session cookies of ``count`` separate sign-ins of the agent, as ``count`` browsers would hold."""
    from django.test import Client

    from helpline.people.models import Agent
    from helpline.testsupport.second_factor import sign_in_verified

    user = Agent.objects.get(user__username=username).user
    sessions = []
    for _ in range(count):
        client = Client()
        sign_in_verified(client, user)
        sessions.append(client.cookies["sessionid"].value)
    return sessions


def server_env(mail_dir: str) -> dict[str, str]:
    """The benchmark process's configuration, as production runs it: a real queue, mail sent (to files)."""
    env = {name: value for name, value in os.environ.items() if name != "HUEY_IMMEDIATE"}
    return env | {
        "DJANGO_SETTINGS_MODULE": "helpline.config.settings",
        "ALLOWED_HOSTS": "127.0.0.1",
        "EMAIL_URL": f"file://{mail_dir}",
        "HELPLINE_MAX_OPEN_TICKETS": "0",
        # The portal's abuse limits (another branch adds them): off, so the load is not refused.
        "HELPLINE_PORTAL_TICKETS_PER_HOUR": "0",
        "HELPLINE_PORTAL_MIN_SECONDS": "0",
        # One key sends the whole API load: its per-minute limit would refuse most of it.
        "HELPLINE_API_RATE_LIMIT": "0",
    }


def wait_for_the_queue(timeout: float) -> float | None:
    """Seconds until the worker has run everything queued (None if it has not within ``timeout``)."""
    from django.conf import settings
    from huey.utils import load_class

    config = settings.HUEY
    storage = {key: config[key] for key in ("filename", "url") if key in config}
    queue = load_class(config["huey_class"])(config["name"], **storage)
    started = time.monotonic()
    while queue.pending_count() and time.monotonic() - started < timeout:
        time.sleep(0.5)
    return None if queue.pending_count() else round(time.monotonic() - started, 1)


def run_write_path(seconds: int, gunicorn_args: list[str], worker_args: list[str]) -> list[WriteResult]:
    from helpline.people.models import Department
    from helpline.routing.models import HelpTopic

    topic = HelpTopic.objects.get(name="Bench topic")
    support = Department.objects.get(name="Support")
    mail_dir = tempfile.mkdtemp(prefix="helpline-bench-mail-")
    results = []
    try:
        with Servers(server_env(mail_dir), gunicorn_args, worker_args) as servers:
            portal = ["portal", "/portal/", str(topic.pk)]
            staff = ["staff", "/staff/tickets/new/", str(support.pk), *agent_sessions("bench0", CLIENTS)]
            for name, args in (("staff new-ticket form", staff), ("portal open-ticket form", portal)):
                results.append(measure_form(servers, name, args, seconds))
            api = ["v1", str(support.pk), bench_api_key()]
            results.append(measure_form(servers, "API POST /api/v1/tickets", api, seconds, API_LUA))
            osticket = ["osticket", "/api/tickets.json", bench_api_key()]
            results.append(measure_form(servers, "osTicket API tickets.json", osticket, seconds, API_LUA))
    finally:
        shutil.rmtree(mail_dir, ignore_errors=True)
    return results


BENCH_KEY = "Write-path benchmark"


def bench_api_key() -> str:
    """A new API key that opens tickets (removed again with the benchmark's tickets)."""
    from helpline.api.keys import issue_key
    from helpline.api.models import Scope

    return issue_key(BENCH_KEY, [Scope.CREATE])[1]


def remove_bench_tickets() -> int:
    """Delete what the write path added, so the read benchmark keeps measuring the seeded tables."""
    from helpline.api.models import ApiKey
    from helpline.mail.models import OutboundEmail
    from helpline.people.models import Requester
    from helpline.tickets.models import Ticket

    tickets = Ticket.objects.filter(subject__startswith=BENCH_SUBJECT)
    ids = list(tickets.values_list("pk", flat=True))
    for start in range(0, len(ids), 5000):
        Ticket.objects.filter(pk__in=ids[start : start + 5000]).delete()
    OutboundEmail.objects.filter(ticket_id__in=ids).delete()
    Requester.objects.filter(email__startswith="bench-portal-").delete()
    Requester.objects.filter(email__startswith="bench-api-").delete()
    ApiKey.objects.filter(name=BENCH_KEY).delete()
    return len(ids)


def as_dicts(results: list[WriteResult]) -> list[dict]:
    return [asdict(result) for result in results]
