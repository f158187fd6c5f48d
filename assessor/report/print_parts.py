"""What makes the HTML archive a document to print, sign and file: A4 pages that never cut a
column, every table's header repeated on each page it runs over, headings kept with what
follows them, DRAFT on every page until the campaign is final, and then the seal, the dates
and a signature block for the chair, which says so when the chair signed off over open items."""

from __future__ import annotations

import html

from assessor.changes.seal import forced_sign_off
from assessor.core.campaign import Campaign
from assessor.rules.summary_types import Summary, format_score

WIDE_AT = 6
"""More criteria columns than this and the merit list prints on landscape pages."""
CODED_AT = 8
"""More than this and the criteria's headings are codes (`Cr1`), with their key under the table."""


def is_final(campaign: Campaign) -> bool:
    """Final and sealed: what a report may be signed as."""
    return campaign.campaign.status == "final" and campaign.seal is not None


def print_style(campaign: Campaign) -> str:
    """The page rules: A4 with margins, the campaign id and page numbers at the foot of each page,
    DRAFT at the head of each page before the campaign is final, and landscape pages for wide tables."""
    footer = f'"{campaign.campaign.id} · page " counter(page) " of " counter(pages)'  # an id is letters, digits, - _ .
    draft = "" if is_final(campaign) else '@top-center { content: "DRAFT: not final"; color: #8a1c1c; font-weight: bold; font-size: 10pt; }'
    return f"""
@page {{ size: A4; margin: 16mm 12mm 16mm 12mm; @bottom-center {{ content: {footer}; font-size: 8pt; color: #555; }} {draft} }}
@page wide {{ size: A4 landscape; }}
.wide {{ page: wide; }}
thead {{ display: table-header-group; }}
tr, .together {{ break-inside: avoid; }}
h1, h2, h3, .lead {{ break-after: avoid; }}
table.merit th {{ white-space: nowrap; }} table.merit th.named {{ white-space: normal; }}
.draft {{ border: 2px solid #8a1c1c; color: #8a1c1c; font-weight: bold; padding: 0.4rem 0.6rem; }}
.signature td {{ height: 2.2rem; }} .signature th {{ width: 12rem; }}
@media print {{ body {{ font-size: 10pt; }} table {{ font-size: 8.5pt; }} }}
"""


def criterion_headings(summary: Summary, stage_names: dict[str, str]) -> tuple[list[str], list[tuple[str, str]]]:
    """The merit list's criterion headings as HTML, and their key when they are codes: a wide table's names
    would not fit the page, and no column may be lost."""
    e = html.escape
    if len(summary.columns) <= CODED_AT:
        heads = [f'{e(c.criterion.name)}<br><span class="muted">{e(stage_names.get(c.stage, c.stage))}</span>' for c in summary.columns]
        return heads, []
    key = criterion_key(summary, stage_names)
    return [e(code) for code, _ in key], key


def criterion_key(summary: Summary, stage_names: dict[str, str]) -> list[tuple[str, str]]:
    """The criteria columns' codes with what each stands for, as a wide merit list heads them (in the
    HTML archive and the workbook alike): `("Cr1", "Leadership (Interview)")`."""
    return [(f"Cr{n}", f"{c.criterion.name} ({stage_names.get(c.stage, c.stage)})") for n, c in enumerate(summary.columns, start=1)]


def status_block(campaign: Campaign) -> str:
    """DRAFT and why, before the campaign is final; after, who sealed it, when, and the seal's digest."""
    e = html.escape
    info, seal = campaign.campaign, campaign.seal
    if not is_final(campaign) or seal is None:
        return (
            f'<p class="draft">DRAFT: not final (status {e(info.status)}). The merit list may still change; '
            "only the sealed campaign file is the record.</p>"
        )
    when = seal.at.strftime("%Y-%m-%d %H:%M")
    return f"<p><strong>Final</strong>: sealed by {e(seal.by)} on {e(when)} UTC; seal sha256 <code>{e(seal.sha256)}</code>.</p>"


def signature_block(campaign: Campaign) -> str:
    """For the chair to sign the final merit list: name, role, signature and date, with the reserve-list and retention dates."""
    if not is_final(campaign):
        return ""
    e = html.escape
    info = campaign.campaign
    chair = next((member for member in campaign.panel if member.role == "chair"), None)
    dates = []
    if info.reserve_until is not None:
        dates.append(f"Reserve list open until {info.reserve_until.isoformat()}")
    if info.retain_until is not None:
        dates.append(f"personal data kept until {info.retain_until.isoformat()}")
    rows = [("Chair", e(chair.name) if chair else ""), ("Role", "chair of the panel")]
    if (forced := forced_sign_off(campaign)) is not None:
        count, rationale = forced
        items = f"{count} item{'s were' if count != 1 else ' was'}"
        rows.append(("Signed off over open items", f"{items} still open when the chair signed off; each is listed in the audit trail"))
        rows.append(("Rationale", f'<span class="evidence">{e(rationale)}</span>'))
    rows += [("Signature", ""), ("Date", "")]
    table = "".join(f'<tr><th scope="row">{label}</th><td>{value}</td></tr>' for label, value in rows)
    said = f"<p>{e('; '.join(dates))}.</p>\n" if dates else ""
    return f'<section class="together"><h2>Signed off</h2>\n{said}<table class="signature">{table}</table></section>'


def total_text(total: float | None, outcome: str | None) -> str:
    """A total as the report prints it: an incomplete candidate's is marked partial, never set beside the others as if whole."""
    shown = format_score(total)
    return f"{shown} (partial)" if outcome == "incomplete" and total is not None else shown
