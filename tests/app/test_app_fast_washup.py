"""The wash-up walk as fast as the keys go: every agreement saved, and none of the app's own saves
taken for someone else's change to the file."""

from __future__ import annotations

from pathlib import Path

from assessor.app import AssessorApp
from assessor.storage.campaign_file import load_campaign, save_campaign
from tests.app.pilot import settle, wait_for
from tests.app.test_app_type_ahead import burst
from tests.app.test_app_washup import open_washup
from tests.unit.test_consensus import washup


async def test_forty_agreements_as_fast_as_the_keys_go_are_saved_and_never_called_someone_elses(tmp_path: Path) -> None:
    path = tmp_path / "washup.toml"
    save_campaign(washup("consensus", {f"K{n:02d}": (4, 4, 5) for n in range(40)}), path)
    app = AssessorApp(path, as_member="chair")
    async with app.run_test(size=(140, 40)) as pilot:
        await open_washup(app, pilot)
        burst(app, ["4"] * 40)
        await wait_for(pilot, lambda: len(app.session.campaign.moderation) == 40, tries=2000)
        await settle(app, pilot)
        await pilot.press("ctrl+q")
        messages = [n.message for n in app._notifications]
    assert not any("changed" in m and "outside" in m for m in messages), messages
    assert len(load_campaign(path).moderation) == 40
