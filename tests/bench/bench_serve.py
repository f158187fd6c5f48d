"""`assessor serve`: members' tabs opening, alone and three at once, and a member's score reaching the chair's tab.

A real server on loopback, driven as each browser page drives it: the page loaded with a
member's link, then its WebSocket with the page's Origin (aiohttp's client, as in
tests/cli/test_serve_sessions.py). Each tab is timed from its page load to its app's first
frames showing the candidate list; the floor is the app's own start to its first screen
painted, a whole process on the same file (tests/bench/start_app.py), measured in the same
run. A score is timed from the key leaving raman's tab to the chair's tab showing raman's
candidate done ("Panel done" going from 0/3 to 1/3); the floor is raman's own tab drawing the
score, the key's way to the app and back; beyond it are raman's save, the chair's app noticing
the file change and reading it, and its redraw.
"""

from __future__ import annotations

import asyncio
import shutil
import statistics
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING

from assessor.storage.campaign_file import load_campaign
from tests.bench import measure
from tests.bench.measure import PYTHON, ROOT

if TYPE_CHECKING:
    import aiohttp

    from tests.cli.test_serve_sessions import Tab

# The server's modules (aiohttp, textual-serve) are imported by the test that needs them, not when the
# benchmarks are collected: in the one process that runs them all, every module more is heap every
# other in-process measurement (the candidate list's first paint) pays for.
from tests.conftest import EXAMPLE, score_command

REPEAT = 5
C04_BUT_LEADERSHIP = (
    "changing-and-improving",
    "developing-self-and-others",
    "digital-leadership-experience",
    "making-effective-decisions",
    "seeing-the-big-picture",
    "working-together",
)
HERE = Path(__file__).resolve().parent
EXAMPLE_NAMES = ("Jordan Ellis", "Hannah Brierley")


async def open_and_show(
    http: aiohttp.ClientSession, served, member: str, names: tuple[str, ...] = ("Jordan Ellis", "Hannah Brierley")
) -> tuple[float, Tab]:
    """Seconds from the page load of MEMBER's link to their candidate list (NAMES) on the socket, and the tab."""
    start = time.perf_counter()
    from tests.cli.test_serve_sessions import Tab

    tab = Tab(http, served, served.links()[member])
    await tab.connect(await tab.load())
    await tab.wait_for(*names)
    return time.perf_counter() - start, tab


async def close_all(tabs: list[Tab], example: Path) -> None:
    from tests.cli.test_serve_sessions import app_pids, wait_gone

    running = app_pids(example)
    for tab in tabs:
        assert tab.socket is not None
        await tab.socket.close()
    assert await asyncio.to_thread(wait_gone, running, 30) == set(), "an app did not end with its tab"


async def tabs_opening(served, example: Path) -> tuple[list[float], list[float]]:
    import aiohttp

    campaign = load_campaign(example)
    members = [member.id for member in campaign.panel]
    names = (campaign.candidates[0].name, campaign.candidates[1].name)
    alone, together = [], []
    async with aiohttp.ClientSession() as http:
        for _ in range(REPEAT):
            seconds, tab = await open_and_show(http, served, members[-1], names)
            alone.append(seconds)
            await close_all([tab], example)
            opened = await asyncio.gather(*(open_and_show(http, served, member, names) for member in members[:3]))
            together.append(max(seconds for seconds, _ in opened))
            await close_all([tab for _, tab in opened], example)
    return alone, together


async def score_to_chair(served) -> tuple[float, float]:
    """raman scores C04's last criterion: seconds to raman's own tab drawing it, and to the chair's tab showing C04 done by one."""
    import aiohttp

    from tests.cli.test_serve_sessions import DOWN, ENTER, keys

    async with aiohttp.ClientSession() as http:
        _, chair = await open_and_show(http, served, "okafor")
        _, member = await open_and_show(http, served, "raman")
        await member.send(keys(DOWN * 3 + ENTER))
        await member.wait_for("Seeing the Big Picture")
        chair.text = member.text = ""
        start = time.perf_counter()

        async def seen(tab: Tab, words: str) -> float:  # both tabs read at once: each timed as its frames arrive
            await tab.wait_for(words)
            return time.perf_counter() - start

        async def echoed() -> float:  # the member's own app drawing the score: the key there and back
            await member.receive_until(lambda tab: tab.text != "")
            return time.perf_counter() - start

        await member.send(keys("6"))
        echo, shown = await asyncio.gather(echoed(), seen(chair, "1/3"))
        return echo, shown


def test_tabs_open_and_a_score_reaches_the_chair(bench_files, tmp_path: Path) -> None:
    from tests.cli.test_serve import start_server, stop_server

    interview = tmp_path / "interview.toml"  # the generated panel: P1 the chair serves, its members open their tabs
    shutil.copyfile(bench_files("interview").path, interview)
    floor = measure.best_processes({"app": [PYTHON, str(HERE / "start_app.py"), str(interview)]}, repeat=REPEAT, cwd=str(ROOT))["app"]
    served = start_server(interview, tmp_path, chair="P1")
    try:
        alone, together = asyncio.run(tabs_opening(served, interview))
    finally:
        stop_server(served)
    scored = []
    for round_ in range(REPEAT):  # each round a fresh campaign: C04's last score is given once
        folder = tmp_path / f"score-{round_}"
        folder.mkdir()
        fresh = folder / EXAMPLE.name
        shutil.copyfile(EXAMPLE, fresh)
        for criterion in C04_BUT_LEADERSHIP:  # raman has all of C04 but the criterion the key scores
            done = subprocess.run(score_command(fresh, "raman", "C04", criterion, 5, "Seen."), capture_output=True, timeout=60)
            assert done.returncode == 0, done.stderr
        served = start_server(fresh, folder)
        try:
            scored.append(asyncio.run(score_to_chair(served)))
        finally:
            stop_server(served)
    best_alone, best_together = min(alone), min(together)
    measure.record_own_floor(
        10,
        "`assessor serve`, interview file (20×6×3): a member's tab, page load to the candidate list, one tab alone "
        f"(median {measure.seconds(statistics.median(alone))})",
        measure.seconds(best_alone),
        f"app start to first paint {measure.seconds(floor)}",
        best_alone / floor,
    )
    measure.record_own_floor(
        10.1,
        f"the same, three members' tabs opened at once, until the last shows its list (median {measure.seconds(statistics.median(together))})",
        measure.seconds(best_together),
        f"one tab alone {measure.seconds(best_alone)}",
        best_together / best_alone,
    )
    own = statistics.median(echo for echo, _ in scored)
    chair = statistics.median(reached for _, reached in scored)
    measure.record_own_floor(
        10.2,
        f"a member's score in their tab to the chair's tab showing it (median of {REPEAT}; slowest {measure.millis(max(r for _, r in scored))})",
        measure.millis(chair),
        f"the member's own tab drawing the score {measure.millis(own)}",
        chair / own,
    )
