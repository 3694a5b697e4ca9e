"""Helpers shared by the benchmark scripts: the benchmark database, timing, result tables."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
DEFAULT_DB = RESULTS / "bench-100k.sqlite3"
MANAGER = "boss"  # the demo's manager, who also owns a share of the customers


@dataclass
class Row:
    what: str
    target: str
    median: float
    low: float
    high: float
    unit: str
    runs: int
    note: str = ""
    ok: bool | None = None

    def cells(self) -> list[str]:
        fmt = (lambda v: f"{v:,.0f}") if self.unit in ("rows/s", "MB") or self.median >= 100 \
            else (lambda v: f"{v:.2f}")
        verdict = "" if self.ok is None else ("ok" if self.ok else "MISS")
        return [self.what, self.target, f"{fmt(self.median)} {self.unit}",
                f"{fmt(self.low)}–{fmt(self.high)}", str(self.runs), verdict, self.note]


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    facts: dict = field(default_factory=dict)

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        print(" | ".join(row.cells()), file=sys.stderr, flush=True)
        return row

    def to_json(self) -> dict:
        return {"facts": self.facts, "rows": [asdict(r) for r in self.rows]}

    def print_table(self) -> None:
        headers = ["what", "target", "median", "min–max", "runs", "", "note"]
        lines = [headers] + [r.cells() for r in self.rows]
        widths = [max(len(line[i]) for line in lines) for i in range(len(headers))]
        out = ["| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths)) + " |",
               "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
        for line in lines[1:]:
            out.append("| " + " | ".join(c.ljust(w) for c, w in zip(line, widths)) + " |")
        print("\n".join(out))


def stats(samples: list[float]) -> tuple[float, float, float]:
    return statistics.median(samples), min(samples), max(samples)


def time_process(command: list[str], runs: int, env: dict | None = None) -> list[float]:
    """Wall-clock milliseconds of a whole process, after one warm-up run."""
    return time_process_cpu(command, runs, env)[0]


def time_process_cpu(command: list[str], runs: int,
                     env: dict | None = None) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU (user + system) milliseconds of a whole process, after one warm-up
    run. On a shared machine CPU time moves less than wall time with other load."""
    env = {**os.environ, **(env or {})}
    subprocess.run(command, env=env, capture_output=True, check=True)
    wall, cpu = [], []
    for _ in range(runs):
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        _pid, status, usage = os.wait4(process.pid, 0)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((usage.ru_utime + usage.ru_stime) * 1000)
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode:
            raise subprocess.CalledProcessError(process.returncode, command)
    return wall, cpu


def time_calls(function, runs: int) -> list[float]:
    """Milliseconds per call, after one warm-up call."""
    function()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def write_json(report: Report, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report.to_json(), indent=2, default=str))
