"""Loading, saving and summarising big campaigns against the TOML library floors."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import tomli
import tomli_w

from assessor.scoring import summarise
from assessor.store import load_campaign, save_campaign
from tests.bench import measure

RATIO = 1.3
SUMMARY_LIMIT = 0.100  # seconds
RSS_AIM = 4.0  # peak memory of a load, as a multiple of the file's size


def test_load_bulk_sift_file(bench_files, target) -> None:
    bulk = bench_files("bulk")
    raw = bulk.path.read_bytes()
    text = raw.decode()
    load_campaign(bulk.path)  # warm: framework file, schema build
    floor = measure.best_of(lambda: tomli.loads(text), 5)
    took = measure.best_of(lambda: load_campaign(bulk.path), 5)
    ok = took <= RATIO * floor
    measure.record(
        4,
        f"load the bulk sift file (5,000×2×1, {bulk.size / 1e6:.1f} MB), `store.load_campaign`",
        measure.millis(took),
        f"`tomli.loads` {measure.millis(floor)}",
        measure.times(took / floor),
        f"≤ {RATIO}×",
        ok,
    )
    target(ok, f"load {took:.3f} s against tomli {floor:.3f} s")


def test_save_bulk_sift_file(bench_files, tmp_path, target) -> None:
    bulk = bench_files("bulk")
    data = tomli.loads(bulk.path.read_text())
    campaign = load_campaign(bulk.path)
    out = tmp_path / "saved.toml"
    floor = measure.best_of(lambda: tomli_w.dumps(data, multiline_strings=True), 3)
    took = measure.best_of(lambda: save_campaign(campaign, out), 3)
    assert out.read_bytes() == bulk.path.read_bytes()
    ok = took <= RATIO * floor
    measure.record(
        5,
        "save it, `store.save_campaign` (dump, re-parse, write, fsync, rename)",
        measure.millis(took),
        f"`tomli_w.dumps` {measure.millis(floor)}",
        measure.times(took / floor),
        f"≤ {RATIO}×",
        ok,
    )
    target(ok, f"save {took:.3f} s against tomli_w {floor:.3f} s")


def test_summarise_stress_campaign(bench_files, target) -> None:
    campaign = bench_files("stress").campaign  # the same models a load returns
    summarise(campaign)  # warm
    took = measure.best_of(lambda: summarise(campaign), 5)
    ok = took <= SUMMARY_LIMIT
    measure.record(
        6,
        "`scoring.summarise` of 5,000×6×3 (90,000 scores), in memory",
        measure.millis(took),
        "—",
        "—",
        f"≤ {SUMMARY_LIMIT * 1000:.0f} ms",
        ok,
    )
    target(ok, f"summarise took {took:.3f} s")


PEAK_SCRIPT = textwrap.dedent(
    """
    import json, resource, sys
    from assessor.framework import load_framework
    from assessor.store import load_campaign

    def peak():
        # VmHWM is this process's own high-water mark; ru_maxrss can carry the parent's
        # over fork and exec, which would hide the load behind the benchmark's own size.
        try:
            with open("/proc/self/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) * 1024
        except OSError:
            pass
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

    load_framework("success-profiles")
    before = peak()
    campaign = load_campaign(sys.argv[1])
    after = peak()
    print(json.dumps({"before": before, "after": after, "scores": len(campaign.scores)}))
    """
)


def test_peak_memory_of_loading_the_stress_file(bench_files, target) -> None:
    stress = bench_files("stress")
    result = subprocess.run([sys.executable, "-c", PEAK_SCRIPT, str(stress.path)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    peak = json.loads(result.stdout)
    assert peak["scores"] == 90_000
    grown = peak["after"] - peak["before"]
    ok = grown <= RSS_AIM * stress.size
    measure.record(
        9,
        "peak memory (RSS) loading the 5,000×6×3 file, beyond the interpreter with assessor imported",
        f"{grown / 1e6:.0f} MB",
        f"file size {stress.size / 1e6:.1f} MB",
        measure.times(grown / stress.size),
        f"≤ {RSS_AIM:.0f}× (aim)",
        ok,
    )
    target(ok, f"peak RSS grew {grown / 1e6:.0f} MB for a {stress.size / 1e6:.1f} MB file")
