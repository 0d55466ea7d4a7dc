"""``make bench``: seed a large database (once) and time the main pages.

    python -m helpline.benchmarks [--tickets N] [--repeat R]

Uses DATABASE_URL when set, else a SQLite file in var/bench/. Results go to stdout and bench-results/.
"""

import argparse
import json
import os
import sys
import time
from dataclasses import asdict
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m helpline.benchmarks")
    parser.add_argument("--tickets", type=int, default=int(os.environ.get("BENCH_TICKETS", "200000")))
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    root = Path(__file__).resolve().parents[2]
    data_dir = Path(os.environ.setdefault("HELPLINE_DATA_DIR", str(root / "var" / "bench")))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{data_dir / 'bench.sqlite3'}")
    os.environ.setdefault("HELPLINE_INSECURE_HTTP", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpline.config.settings")
    os.environ.setdefault("HUEY_IMMEDIATE", "1")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    from helpline.benchmarks.measure import run
    from helpline.benchmarks.seed import seed_tickets
    from helpline.core.maintenance import refresh_planner_statistics

    setup_test_environment()  # lets the client see template contexts (to follow "Next page" links)
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    started = time.perf_counter()
    seed_tickets(args.tickets, progress=lambda n: print(f"  seeded {n:,} tickets", end="\r", flush=True))
    print(
        f"\nDatabase ready with {args.tickets:,} tickets in {time.perf_counter() - started:.0f} s "
        f"({settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]})"
    )
    refresh_planner_statistics()  # as the nightly job does on a live installation
    results = run(args.repeat)
    print(f"{'page':<36}{'median ms':>10}{'p95 ms':>10}{'queries':>9}{'status':>8}")
    for r in results:
        print(f"{r.name:<36}{r.median_ms:>10.1f}{r.p95_ms:>10.1f}{r.queries:>9}{r.status:>8}")
    out = root / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(
        json.dumps({"tickets": args.tickets, "results": [asdict(r) for r in results]}, indent=2)
    )
    return 0 if all(r.status == 200 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
