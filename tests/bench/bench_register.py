"""HR's register over years of archives: 500 and 5,000 sealed campaign files, cold and from the cache,
against the floor of reading and parsing the same files with `tomli`."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.bench import measure
from tests.bench.measure import PYTHON, ROOT

COLD_LIMIT = 3.0  # × the parse
WARM_LIMIT = 1.0  # × the parse

SCRIPT = """
import json, os, sys, time
from pathlib import Path
import tomli
from assessor.storage.register import campaign_files, register_facts

folder, repeat = Path(sys.argv[1]), int(sys.argv[2])
files = list(campaign_files([folder]))
def parse():
    for path in files:
        tomli.loads(path.read_bytes().decode())
def best(function):
    times = []
    for _ in range(repeat):
        start = time.perf_counter(); function(); times.append(time.perf_counter() - start)
    return min(times)
parse_s = best(parse)
cache = Path(os.environ["ASSESSOR_CACHE_DIR"]) / "register.json"
def cold():
    cache.unlink(missing_ok=True)
    assert len(register_facts([folder])) == len(files)
cold_s = best(cold)
warm_s = best(lambda: register_facts([folder]))
print(json.dumps({"files": len(files), "parse": parse_s, "cold": cold_s, "warm": warm_s}))
"""


@pytest.fixture(scope="module")
def archives(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    """500 sealed campaigns (12 candidates, 4 criteria, 3 assessors each), and the same ten times over: 5,000."""
    from assessor.changes.seal import finalise
    from assessor.core.errors import ChangeRefused
    from assessor.storage.campaign_file import save_campaign, written_data
    from tests.generate import make_campaign

    root = tmp_path_factory.mktemp("archives")
    small = root / "500"
    at = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
    number, seed = 0, 0
    while number < 500:
        seed += 1
        campaign = make_campaign(12, 4, 3, seed=seed)
        campaign = campaign.model_copy(update={"campaign": campaign.campaign.model_copy(update={"id": f"campaign-{number:03d}"})})
        try:
            sealed = finalise(campaign, chair="P1", at=at, file_data=written_data, force=True, rationale="Archive.")
        except ChangeRefused:
            continue  # a tie across the appointable line: the chair's order is needed, which a generated campaign lacks
        folder = small / f"{2021 + number // 100}"
        folder.mkdir(parents=True, exist_ok=True)
        save_campaign(sealed, folder / f"c{number:03d}.toml")
        number += 1
    large = root / "5000"
    for copy in range(10):
        shutil.copytree(small, large / f"copy-{copy}")
    return {500: small, 5000: large}


def run(folder: Path, cache: Path, repeat: int) -> dict[str, float]:
    measure.compile_package()
    env = {"ASSESSOR_CACHE_DIR": str(cache), "PATH": "/usr/bin:/bin"}
    args = [PYTHON, "-c", SCRIPT, str(folder), str(repeat)]
    done = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, env=env, timeout=900, check=True)
    return json.loads(done.stdout)


def test_the_register_reads_years_of_archives_fast(archives: dict[int, Path], tmp_path: Path, target) -> None:
    # Best of three for 500; one run of 5,000 (a minute or more) is steady enough.
    results = {count: run(folder, tmp_path / f"cache-{count}", 3 if count == 500 else 1) for count, folder in archives.items()}
    for count, result in results.items():
        assert result["files"] == count
        cold, warm, parse = result["cold"], result["warm"], result["parse"]
        order = 40 + (count == 5000)
        cold_ok, warm_ok = cold <= COLD_LIMIT * parse, warm <= WARM_LIMIT * parse
        measure.record(
            order,
            f"`register` of {count:,} sealed campaign files (12×4×3), first run: each read, checked and its seal verified",
            measure.millis(cold),
            f"`tomli.loads` of each {measure.millis(parse)}",
            measure.times(cold / parse),
            f"≤ {COLD_LIMIT:g}×",
            cold_ok,
        )
        measure.record(
            order + 0.5,
            f"`register` of the same {count:,} again, from the cache (each file's size, time and inode checked)",
            measure.millis(warm),
            f"`tomli.loads` of each {measure.millis(parse)}",
            measure.times(warm / parse),
            f"≤ {WARM_LIMIT:g}×",
            warm_ok,
        )
        target(cold_ok and warm_ok, f"register of {count}: cold {cold:.2f} s, warm {warm:.2f} s, parse {parse:.2f} s")
    growth = results[5000]["cold"] / results[500]["cold"]
    measure.record(
        42,
        "`register` of 5,000 against 500, first run (10.00× if the work grows with the files alone)",
        measure.millis(results[5000]["cold"]),
        f"500 files {measure.millis(results[500]['cold'])}",
        measure.times(growth),
        "—",
        None,
    )
