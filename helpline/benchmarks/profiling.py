"""Where the write path's CPU goes: with ``BENCH_PROFILE`` set to a directory (and py-spy installed, ``pip
install py-spy``), each door's load is sampled in gunicorn's workers and in the task queue's worker, and the
functions that used the most CPU (on their own and with what they called) are written there, one file per
door and part, with py-spy's collapsed stacks beside them for a flame graph.

py-spy samples from outside the processes (``--nonblocking``: without pausing them), so the figures it
samples are the ones the benchmark measures, give or take the sampling's own few percent.
"""

import os
import re
import shutil
import subprocess
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

RATE = 250
TOP = 60


def profile_dir() -> Path | None:
    """Where profiles go, or None when the benchmark does not profile."""
    wanted = os.environ.get("BENCH_PROFILE")
    if not wanted:
        return None
    if shutil.which("py-spy") is None:
        raise RuntimeError("BENCH_PROFILE is set but py-spy is not installed: pip install py-spy")
    path = Path(wanted)
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextmanager
def sampled(parts: dict[str, int], door: str, seconds: int):
    """Sample the processes ``parts`` names (a part's name and its root process, children included) while
    the body runs ``seconds`` of load through ``door``; summarise each part afterwards."""
    directory = profile_dir()
    if directory is None:
        yield
        return
    slug = re.sub(r"[^a-z0-9]+", "-", door.lower()).strip("-")
    recorders = {}
    for part, pid in parts.items():
        stacks = directory / f"{slug}-{part}.stacks"
        command = [
            "py-spy",
            "record",
            "--pid",
            str(pid),
            "--subprocesses",
            "--nonblocking",
            "--format",
            "raw",
        ]
        command += ["--rate", str(RATE), "--duration", str(seconds), "--output", str(stacks)]
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        recorders[part] = (stacks, subprocess.Popen(command, **quiet))  # noqa: S603 - our own arguments
    try:
        yield
    finally:
        for part, (stacks, recorder) in recorders.items():
            recorder.wait(timeout=seconds + 60)
            if stacks.exists():
                (directory / f"{slug}-{part}.txt").write_text(summary(stacks.read_text(), f"{door}, {part}"))


def summary(collapsed: str, title: str) -> str:
    """The functions with the most samples on their own (self) and with their callees (total), as shares
    of all samples, from py-spy's collapsed stacks (``frame;frame;frame count`` a line)."""
    own: Counter[str] = Counter()
    total: Counter[str] = Counter()
    samples = 0
    for line in collapsed.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = [function_of(frame) for frame in stack.split(";")]
        weight = int(count)
        samples += weight
        own[frames[-1]] += weight
        for frame in set(frames):
            total[frame] += weight
    lines = [f"{title}: {samples} samples at {RATE} a second", "", "self %   function"]
    lines += [f"{100 * n / samples:6.1f}   {name}" for name, n in own.most_common(TOP)]
    lines += ["", "total %  function (with what it called)"]
    lines += [f"{100 * n / samples:6.1f}   {name}" for name, n in total.most_common(TOP)]
    return "\n".join(lines) + "\n"


def function_of(frame: str) -> str:
    """``name (path/to/module.py:line)`` as ``name (module.py)``: a function's samples count together
    whatever line they were on."""
    name, _, where = frame.partition(" (")
    path = where.rstrip(")").rsplit(":", 1)[0]
    short = "/".join(Path(path).parts[-2:]) if path else ""
    return f"{name} ({short})" if short else name
