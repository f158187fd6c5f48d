"""The summary as CSV: one row per candidate, for spreadsheets and scripts."""

from __future__ import annotations

import csv
import io

from assessor.core.campaign import Campaign
from assessor.core.framework import Framework
from assessor.report.wording import column_label, reasons
from assessor.rules.summary_types import Summary


def render_csv(summary: Summary, campaign: Campaign, framework: Framework) -> str:
    """One row per candidate, for spreadsheets and scripts."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    header = ["rank", "candidate", "name", "outcome", "reasons", "total", *[column_label(summary, c) for c in summary.columns], "flags"]
    writer.writerow(header)
    for result in summary.candidates:
        writer.writerow(
            [
                result.rank if result.rank is not None else "",
                result.id,
                result.display_name,
                result.outcome or "",
                reasons(result),
                "" if result.total is None else round(result.total, 2),
                *["" if item.agreed is None else round(item.agreed, 2) for item in result.items],
                " ".join(result.flags),
            ]
        )
    return buffer.getvalue()
