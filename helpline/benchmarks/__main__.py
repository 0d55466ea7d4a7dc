"""``make bench``: seed a large database (once) and time the main pages.

    python -m helpline.benchmarks [--tickets N] [--repeat R] [--write-seconds S] [--gunicorn-args "..."]

Uses DATABASE_URL when set, else a SQLite file in var/bench/. Results go to stdout and bench-results/.
The read path is timed in this process; the write path over HTTP against gunicorn and the task queue's
worker (see write_path.py; it needs wrk), which leaves the tables as seeded when it is done.
"""

import argparse
import json
import logging
import os
import shlex
import sys
import time
from dataclasses import asdict
from pathlib import Path

LOCMEM_MAIL = "django.core.mail.backends.locmem.EmailBackend"


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m helpline.benchmarks")
    parser.add_argument("--tickets", type=int, default=int(os.environ.get("BENCH_TICKETS", "200000")))
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--write-seconds", type=int, default=20, help="per form; 0 skips the write path")
    parser.add_argument("--intake", type=int, default=1000, help="emails through the intake; 0 skips it")
    parser.add_argument(
        "--gunicorn-args", default="--workers 2 --threads 4", help="how the write path serves"
    )
    parser.add_argument("--worker-args", default="", help="run_huey's options in the write path")
    args = parser.parse_args()

    root = Path(__file__).resolve().parents[2]
    data_dir = Path(os.environ.setdefault("HELPLINE_DATA_DIR", str(root / "var" / "bench")))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{data_dir / 'bench.sqlite3'}")
    os.environ.setdefault("HELPLINE_INSECURE_HTTP", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpline.config.settings")
    os.environ.setdefault("HUEY_IMMEDIATE", "1")
    import django

    django.setup()
    # The benchmark signs agents in dozens of times: django-axes' line for each is noise here.
    logging.getLogger("axes").setLevel(logging.WARNING)
    from django.conf import settings
    from django.core.management import call_command

    from helpline.benchmarks.measure import run
    from helpline.benchmarks.seed import index_unindexed, seed_tickets
    from helpline.core.maintenance import refresh_planner_statistics
    from helpline.tickets.search.indexing import optimize as optimize_search_index

    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    # What the in-process parts send (the intake's replies) stays in memory; the pages are timed without
    # the test environment's instrumentation of every template rendered.
    settings.MAILERS = {alias: {"BACKEND": LOCMEM_MAIL} for alias in settings.MAILERS}
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    started = time.perf_counter()
    seed_tickets(args.tickets, progress=lambda n: print(f"  seeded {n:,} tickets", end="\r", flush=True))
    print(
        f"\nDatabase ready with {args.tickets:,} tickets in {time.perf_counter() - started:.0f} s "
        f"({settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]})"
    )
    # A database seeded before search: its tickets are indexed once, as search_reindex would.
    indexed = index_unindexed(progress=lambda n: print(f"  indexed {n:,} tickets", end="\r", flush=True))
    if indexed:
        print(f"\nIndexed {indexed:,} tickets for search")
    optimize_search_index()
    refresh_planner_statistics()  # as the nightly job does on a live installation
    results = run(args.repeat)
    print(f"{'page':<36}{'median ms':>10}{'p95 ms':>10}{'queries':>9}{'status':>8}")
    for r in results:
        print(f"{r.name:<36}{r.median_ms:>10.1f}{r.p95_ms:>10.1f}{r.queries:>9}{r.status:>8}")
    report = {"tickets": args.tickets, "results": [asdict(r) for r in results]}
    ok = all(r.status == 200 for r in results)
    report["sla_sweep"] = sla_sweep_report()
    if args.intake:
        report["intake"] = intake_report(args.intake)
    if args.write_seconds:
        report["write_path"] = write_path_report(
            args.write_seconds, shlex.split(args.gunicorn_args), shlex.split(args.worker_args)
        )
        ok = ok and all(r["failed"] == 0 and r["opened"] for r in report["write_path"]["results"])
    out = root / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(report, indent=2))
    return 0 if ok else 1


def sla_sweep_report() -> dict:
    from helpline.benchmarks.sla_sweep import DUE, as_dict, run_sweep

    print(f"\nThe periodic SLA check: finding the tickets due, then checking {DUE} of them (rolled back)")
    result = run_sweep()
    print(
        f"  finding: {result.find_nothing_due_ms:.2f} ms with nothing due, {result.find_due_ms:.2f} ms with "
        f"{DUE} due; checking: {result.check_ms_per_ticket:.1f} ms a ticket ({result.tickets_checked} flagged)"
    )
    print(f"  plan: {result.plan}")
    return as_dict(result)


def intake_report(count: int) -> dict:
    from helpline.benchmarks.intake import as_dict, run_intake

    print(f"\nThe email intake, in this process: {count:,} mixed messages through the pipe's logic")
    result = run_intake(count)
    mix = ", ".join(f"{outcome} {n}" for outcome, n in sorted(result.outcomes.items()))
    print(f"  {result.messages_per_second:.1f} messages a second ({result.seconds} s; {mix})")
    return as_dict(result)


def write_path_report(seconds: int, gunicorn_args: list[str], worker_args: list[str]) -> dict:
    from helpline.benchmarks.write_path import CLIENTS, as_dicts, remove_bench_tickets, run_write_path

    print(
        f"\nOpening tickets over HTTP: {CLIENTS} clients, gunicorn {' '.join(gunicorn_args)}, "
        f"run_huey {' '.join(worker_args)} beside it"
    )
    results = run_write_path(seconds, gunicorn_args, worker_args)
    print(
        f"{'form':<26}{'tickets/s':>10}{'POST median':>12}{'p95 ms':>8}{'GET ms':>8}{'failed':>7}  CPU ms per ticket"
    )
    for r in results:
        cpu = ", ".join(f"{part} {used}" for part, used in r.cpu_ms_per_ticket.items())
        print(
            f"{r.name:<26}{r.tickets_per_second:>10.1f}{r.post_median_ms:>12.1f}{r.post_p95_ms:>8.1f}"
            f"{r.get_median_ms:>8.1f}{r.failed:>7}  {cpu}"
        )
        wait = r.queue_drained_seconds
        print(
            f"  the worker finished the queued work {wait} s after the load"
            if wait is not None
            else "  the worker had not finished the queued work 180 s after the load"
        )
    removed = remove_bench_tickets()
    print(f"Removed the {removed:,} tickets the write path opened.")
    return {
        "clients": CLIENTS,
        "gunicorn_args": gunicorn_args,
        "worker_args": worker_args,
        "results": as_dicts(results),
    }


if __name__ == "__main__":
    sys.exit(main())
