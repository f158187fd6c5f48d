"""After the seal: the reserve list's dates, offers in strict merit order, and the chain of
offer records that verify checks, through the real command line."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from assessor.changes.offers import chain_problems, record_offer
from assessor.changes.seal import add_months
from assessor.core.errors import ChangeRefused
from assessor.storage.campaign_file import load_campaign
from tests.conftest import run_cli


def finalised(clean: Path, *months: str) -> Path:
    result = run_cli("finalise", str(clean), "--as", "P1", *months)
    assert result.returncode == 0, result.stderr
    return clean


def test_finalise_opens_the_reserve_list_and_keeps_the_data_six_months_after_it(clean: Path) -> None:
    result = run_cli("finalise", str(clean), "--as", "P1", "--reserve-months", "9")
    assert result.returncode == 0, result.stderr
    data = tomllib.loads(clean.read_text())
    sealed_on = data["seal"]["at"].date()
    reserve = add_months(sealed_on, 9)
    assert data["campaign"]["reserve_until"] == reserve
    assert data["campaign"]["retain_until"] == max(add_months(reserve, 6), datetime(2027, 11, 22).date())
    assert f"; reserve list open until {reserve.isoformat()}; personal data kept until " in result.stdout
    assert run_cli("finalise", str(clean), "--as", "P1", "--reserve-months", "13").returncode == 2  # at most 12 months


def test_offers_go_in_merit_order_and_verify_checks_their_chain(clean: Path) -> None:
    path = finalised(clean)
    # C02 is ranked first (appointable), C01 second (reserve).
    refused = run_cli("offer", str(path), "--as", "P1", "--candidate", "C01", "--result", "offered")
    assert refused.returncode == 1
    assert refused.stderr == f"{path}: --candidate: offers go in merit order: C02 ranked above C01 has not accepted, declined or withdrawn\n"
    before = path.read_bytes()
    assert run_cli("offer", str(path), "--as", "P2", "--candidate", "C02", "--result", "offered").returncode == 1
    assert path.read_bytes() == before
    for candidate, result in (("C02", "offered"), ("C02", "declined"), ("C01", "offered"), ("C01", "accepted")):
        done = run_cli("offer", str(path), "--as", "P1", "--candidate", candidate, "--result", result, "--note", f"{result} by phone")
        assert done.returncode == 0, done.stderr
    assert done.stdout == f"{path}: C01 accepted; offer record 4, chained to the seal\n"
    verified = run_cli("verify", str(path))
    assert verified.returncode == 0, verified.stderr
    assert "; seal matches; 4 offer records after it, chain intact; sha256 " in verified.stdout
    # An edit of a record after it was written shows; so does one taken out.
    text = path.read_text()
    changed = text.replace('result = "declined"', 'result = "accepted"', 1)
    path.write_text(changed)
    broken = run_cli("verify", str(path))
    assert broken.returncode == 1
    assert broken.stderr == f"{path}: offer record 2 (C02, accepted) was changed after it was written\n"
    start = text.index("[[offers]]", text.index("[[offers]]") + 1)
    path.write_text(text[:start] + text[text.index("[[offers]]", start + 1) :])
    assert run_cli("verify", str(path)).stderr.startswith(f"{path}: offer record 2 (C01, offered) does not follow the record before it")


def test_no_offer_after_the_reserve_list_closes_and_purge_keeps_outcomes_not_notes(clean: Path) -> None:
    campaign = load_campaign(finalised(clean, "--reserve-months", "0"))
    closed = datetime.combine(campaign.campaign.reserve_until + timedelta(days=1), datetime.min.time(), UTC)
    with pytest.raises(ChangeRefused, match=f"the reserve list closed on {campaign.campaign.reserve_until.isoformat()}"):
        record_offer(campaign, chair="P1", candidate="C02", result="offered", at=closed)
    offered = record_offer(campaign, chair="P1", candidate="C02", result="offered", note="Start in March.")
    with pytest.raises(ChangeRefused, match="C02 has offered already"):
        record_offer(offered, chair="P1", candidate="C02", result="offered")
    with pytest.raises(ChangeRefused, match="C01 has no open offer to have accepted"):
        record_offer(offered, chair="P1", candidate="C01", result="accepted")
    assert chain_problems(offered) == []

    from assessor.changes.retention import purge
    from assessor.storage.campaign_file import written_data

    after = datetime.combine(offered.campaign.retain_until + timedelta(days=1), datetime.min.time(), UTC)
    purged = purge(offered, on_disk=written_data(offered), who="hr", at=after, file_data=written_data)
    assert [(row.candidate, row.result, row.note) for row in purged.offers] == [("C02", "offered", "[purged]")]
    assert purged.offers[0].sealed == purged.seal.sha256 and chain_problems(purged) == []
