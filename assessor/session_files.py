"""The files beside an open campaign that the app writes and reads for its screens: exports
of the summary, and candidates to import. Part of `session.CampaignSession`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from assessor.core.campaign import Campaign
from assessor.core.framework import Framework
from assessor.rules.grouping import ScoresByItem
from assessor.rules.scoring import summarise
from assessor.rules.visibility import as_seen_by, sees_everything

if TYPE_CHECKING:
    from assessor.changes.setup_people import CandidateRows


class FilesBeside:
    """Exports and imports beside the campaign file, as who is working may make them."""

    path: Path
    who: str
    framework: Framework
    _campaign: Campaign
    _grouped: ScoresByItem | None

    def export_path(self, fmt: str, stage: str | None) -> Path:
        """Where an export of the summary goes: beside the campaign file, `ID-STAGE.EXT`, or
        `ID-STAGE-as-MEMBER.EXT` for a member's view before moderation."""
        from assessor.report.formats import EXTENSIONS  # the formats are imported when first used

        seen_by = "" if sees_everything(self._campaign, self.who) else f"-as-{self.who}"
        merit_list = stage is None or (stage,) == tuple(self._campaign.counted_stages)  # the counted stage on its own is the merit list
        return self.path.with_name(f"{self._campaign.campaign.id}-{'merit-list' if merit_list else stage}{seen_by}.{EXTENSIONS[fmt]}")

    def summary_bytes(self, fmt: str, stage: str | None) -> bytes:
        """The summary of `stage` (None: the merit list) in `fmt`, as who is working may see it.
        Safe in a worker thread: it works on the state as it is now."""
        from assessor.report.formats import render_bytes

        campaign, grouped = self._campaign, self._grouped
        summary = summarise(campaign, stage, grouped=grouped, schemes=self.framework.scheme_names)
        summary = as_seen_by(summary, campaign, self.who)  # what this member may see, no more
        return render_bytes(summary, campaign, self.framework, fmt)

    def export_summary(self, fmt: str, stage: str | None) -> Path:
        """Write the summary (`summary_bytes`) beside the campaign file; raise CampaignError if it cannot be written."""
        from assessor.storage.atomic import write_atomic

        target = self.export_path(fmt, stage)
        write_atomic(target, self.summary_bytes(fmt, stage))
        return target

    def read_candidate_file(self, path: Path) -> CandidateRows:
        """Candidates from a CSV file or a workbook, checked against the campaign's ids and
        references, and the columns left out; raise CampaignError listing every bad row. Safe in a worker thread."""
        from assessor.storage.importing import KnownCandidates, read_candidates  # when first used

        return read_candidates(path, KnownCandidates.of(self._campaign, self.framework))


def new_campaign_file(folder: Path, stem: str, template: str | None, framework_id: str, details: dict[str, Any], *, who: str) -> Path:
    """Write a new campaign, `folder/STEM.toml`, from a role template (or a blank one of the
    framework) with the title, level and vacancies in `details`; never over an existing file."""
    from assessor.changes.new_campaign import blank_campaign, campaign_from_template
    from assessor.storage.campaign_file import check_new_file, create_campaign_file
    from assessor.storage.reference import load_framework, load_role_template

    path = folder / f"{stem}.toml"
    check_new_file(path)
    if template:
        role, framework = load_role_template(template)
        campaign = campaign_from_template(role, framework, campaign_id=stem, who=who, **details)
    else:
        campaign = blank_campaign(load_framework(framework_id), campaign_id=stem, who=who, **details)
    create_campaign_file(campaign, path)
    return path
