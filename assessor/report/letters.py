"""The feedback letter to one candidate, in their language: the date, the campaign, a greeting,
the outcome in words, the agreed score on every criterion of each stage they took part in,
the chair's feedback and the chair's sign-off; DRAFT until the campaign is final and sealed.

Nothing about any other candidate (no ranks beside theirs; anyone else named in the chair's
feedback is replaced as in a subject access export, `rules.mentions`) and no panel member's
own evidence: only what the panel agreed. The wording is data (`reference/letters/LANG.toml`).
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from assessor.core.campaign import Campaign, Stage
from assessor.core.errors import ChangeRefused
from assessor.core.framework import Framework
from assessor.core.letter_wording import LetterWording
from assessor.report.print_parts import is_final
from assessor.report.safe_text import markdown_text, visible
from assessor.report.wording import md_cell
from assessor.rules.mentions import Mentions, NameTable
from assessor.rules.scoring import summarise
from assessor.rules.summary_types import CandidateResult, Summary, format_score

STOPPED = ("fail", "not-shortlisted", "withdrawn")


class _Words:
    """The wording in one language, with the campaign's framework for the scale's labels."""

    def __init__(self, wording: LetterWording, framework: Framework, bands: bool) -> None:
        self.wording, self.framework, self.bands = wording, framework, bands

    def label(self, agreed: float | None) -> str:
        """The scale's label an agreed score reaches: a whole score's own, a mean's the whole
        number below it (3.5 is not yet 4), none below the scale."""
        if agreed is None:
            return self.wording.not_agreed
        point = max(1, min(7, math.floor(agreed + 1e-9)))
        label = self.framework.scale_point(point).label
        return self.wording.labels.get(label, label)

    def day(self, when: date) -> str:
        return self.wording.date.format(day=when.day, month=self.wording.months[when.month - 1], year=when.year)

    def score(self, agreed: float | None) -> str:
        return self.label(agreed) if self.bands else format_score(agreed) if agreed is not None else self.wording.not_agreed


def _failed_why(words: _Words, campaign: Campaign, result: CandidateResult, stage: Stage) -> str:
    """Why the candidate did not meet the minimum at this stage, from their agreed scores."""
    criteria = {criterion.id: criterion for criterion in campaign.criteria}
    reasons = words.wording.reasons
    out = []
    for item in result.items:
        criterion = criteria[item.criterion]
        if item.stage == stage.id and item.agreed is not None and item.agreed < criterion.pass_mark:
            if words.bands:
                out.append(
                    reasons.below_minimum_band.format(
                        criterion=criterion.name, score=words.label(item.agreed), minimum=words.label(criterion.pass_mark)
                    )
                )
            else:
                out.append(reasons.below_minimum.format(criterion=criterion.name, score=format_score(item.agreed), minimum=criterion.pass_mark))
    mark = campaign.campaign.overall_pass_mark
    if mark and result.total is not None and result.total < mark and stage.id in campaign.counted_stages:
        out.append(reasons.total_below.format(total=format_score(result.total), minimum=format_score(mark)))
    if not out:  # the reason recorded when the stage was decided, as it was written
        out = [reason for reason in result.failed if not reason.startswith("did not pass the ")]
    return "; ".join(out)


def _cut_why(words: _Words, result: CandidateResult, stage: Stage) -> str:
    """Why a candidate who met the minimum did not go on, naming nobody else."""
    reasons = words.wording.reasons
    if "tie-at-cut" in result.flags:
        return reasons.tie_at_cut
    if stage.shortlist and result.rank is not None:
        return reasons.shortlist.format(shortlist=stage.shortlist, rank=result.rank)
    if stage.shortlist_mark and result.total is not None:
        return reasons.shortlist_mark.format(mark=format_score(stage.shortlist_mark), total=format_score(result.total))
    return ""


def _outcome(words: _Words, campaign: Campaign, result: CandidateResult, stage: Stage) -> str:
    """The outcome as a sentence for the candidate, naming nobody else."""
    said = words.wording.outcomes
    if result.outcome == "appointable":
        return said.appointable.format(rank=result.rank)
    if result.outcome == "reserve":
        until = campaign.campaign.reserve_until
        return said.reserve_until.format(rank=result.rank, until=words.day(until)) if until else said.reserve.format(rank=result.rank)
    if result.outcome == "fail":
        why = _failed_why(words, campaign, result, stage)
        return said.fail_why.format(stage=stage.name, why=why) if why else said.fail.format(stage=stage.name)
    if result.outcome == "not-shortlisted":
        why = _cut_why(words, result, stage)
        return said.not_shortlisted_why.format(stage=stage.name, why=why) if why else said.not_shortlisted.format(stage=stage.name)
    if result.outcome == "withdrawn":
        return said.withdrawn
    if result.outcome == "guaranteed":
        return said.guaranteed.format(stage=stage.name)
    if result.outcome == "pass":
        return said.went_on.format(stage=stage.name)
    return said.incomplete


def _chair(campaign: Campaign) -> str:
    """Who signs: the chair who sealed the campaign, else its chair."""
    names = {member.id: member.name for member in campaign.panel}
    if campaign.seal is not None and campaign.seal.by in names:
        return names[campaign.seal.by]
    return next((member.name for member in campaign.panel if member.role == "chair"), "")


@dataclass(frozen=True)
class LetterSources:
    """What every letter of a campaign reads, worked out once for all of them: each stage's summary
    (the last counted stage's is the merit list, which decides the outcome) and the names folded."""

    summaries: tuple[tuple[Stage, Summary], ...]
    names: NameTable


def letter_sources(campaign: Campaign, framework: Framework) -> LetterSources:
    """The summaries and names the letters of `campaign` read."""
    schemes = framework.scheme_names
    last = campaign.counted_stages[-1] if campaign.counted_stages else None
    summaries = tuple(
        (stage, summarise(campaign, None if stage.id == last else stage.id, show_names=True, schemes=schemes)) for stage in campaign.stages
    )
    return LetterSources(summaries, NameTable(campaign))


def feedback_letter(
    campaign: Campaign, framework: Framework, candidate_id: str, wording: LetterWording, today: date, sources: LetterSources | None = None
) -> dict[str, Any]:
    """What a candidate's letter says, as plain data in their language; refused for an unknown candidate.
    `sources`: the campaign's summaries and names, when many letters are written."""
    person = next((c for c in campaign.candidates if c.id == candidate_id), None)
    if person is None:
        raise ChangeRefused(f"unknown candidate {candidate_id!r}")
    sources = sources or letter_sources(campaign, framework)
    words = _Words(wording, framework, campaign.campaign.feedback_scores == "bands")
    criteria = {criterion.id: criterion for criterion in campaign.criteria}
    stages: list[dict[str, Any]] = []
    outcome: list[str] = []  # a sentence for each stage they took part in
    for stage, summary in sources.summaries:
        result = summary.candidate(candidate_id)
        if result.outcome == "fail" and any(reason.startswith("did not pass the ") for reason in result.failed[:1]):
            break  # stopped at an earlier stage: never took part in this one
        if result.outcome == "not-shortlisted" and result.reason.startswith("not shortlisted at the "):
            break
        rows = [
            [criteria[item.criterion].name, words.score(item.agreed)] + ([] if words.bands else [words.label(item.agreed)])
            for item in result.items
            if item.stage == stage.id
        ]
        if rows:
            stages.append({"heading": wording.scores_heading.format(stage=stage.name), "rows": rows})
        outcome.append(_outcome(words, campaign, result, stage))
        if result.outcome in STOPPED:
            break
    mentions = Mentions(campaign, candidate_id, sources.names)
    feedback = mentions.hide(next((note.text for note in campaign.feedback if note.candidate == candidate_id), "")).strip()
    role, info = campaign.campaign.role, campaign.campaign
    post = ", ".join(part for part in (role.title, role.grade, role.department) if part) or info.title
    return {
        "language": person.language or "en",
        "draft": "" if is_final(campaign) else wording.draft,
        "draft_mark": wording.draft.split(":")[0],
        "title": wording.title,
        "date": words.day(today),
        "campaign": wording.campaign.format(title=info.title, reference=info.id),
        "reference": wording.your_reference.format(reference=person.reference) if person.reference else "",
        "greeting": wording.greeting.format(name=person.name),
        "opening": wording.opening.format(post=post),
        "outcome_heading": wording.outcome_heading,
        "outcome": " ".join(outcome) or wording.outcomes.incomplete,
        "columns": [wording.criterion, wording.band] if words.bands else [wording.criterion, wording.score, wording.meaning],
        "stages": stages,
        "feedback_heading": wording.feedback_heading,
        "feedback": feedback,
        "others_replaced": mentions.replaced,
        "sign_off": wording.sign_off,
        "chair": _chair(campaign),
        "chair_role": wording.chair_role,
    }


LETTER_STYLE = """
@page { size: A4; margin: 22mm 20mm 22mm 20mm; %s }
body { font: 11pt/1.45 Georgia, "Times New Roman", serif; color: #111; margin: 0; }
h1 { font-size: 15pt; margin: 1.2rem 0 0.8rem; } h2 { font-size: 12pt; margin: 1.2rem 0 0.4rem; break-after: avoid; }
.draft { border: 2px solid #8a1c1c; color: #8a1c1c; font-weight: bold; padding: 0.3rem 0.6rem; }
.watermark { position: fixed; top: 40%%; left: 0; right: 0; text-align: center; font-size: 90pt; color: rgba(138, 28, 28, 0.10);
  transform: rotate(-30deg); z-index: -1; }
.date { text-align: right; } .campaign { margin: 0; }
table { border-collapse: collapse; width: 100%%; } thead { display: table-header-group; }
th, td { text-align: left; vertical-align: top; padding: 0.2rem 0.5rem; border-bottom: 1px solid #bbb; } tr { break-inside: avoid; }
.signature { break-inside: avoid; margin-top: 2rem; } .signature .name { margin-top: 2.5rem; }
"""


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def render_letter(letter: dict[str, Any], fmt: str) -> str:
    """The letter as Markdown (`md`) or an A4 HTML page (`html`), safe to print (`safe_text`)."""
    if fmt == "html":
        return visible(_html_letter(letter))
    draft = [f"**{markdown_text(letter['draft'])}**", ""] if letter["draft"] else []
    out = [*draft, f"# {letter['title']}", "", letter["date"], "", markdown_text(letter["campaign"])]
    out += ["", markdown_text(letter["reference"])] if letter["reference"] else []
    out += ["", markdown_text(letter["greeting"]), "", markdown_text(letter["opening"])]
    out += ["", f"## {letter['outcome_heading']}", "", markdown_text(letter["outcome"])]
    for stage in letter["stages"]:
        out += ["", f"## {md_cell(stage['heading'])}", "", "| " + " | ".join(letter["columns"]) + " |", "|" + " --- |" * len(letter["columns"])]
        out += ["| " + " | ".join(md_cell(cell) for cell in row) + " |" for row in stage["rows"]]
    if letter["feedback"]:
        out += ["", f"## {letter['feedback_heading']}", "", markdown_text(letter["feedback"])]
    out += ["", letter["sign_off"], "", md_cell(letter["chair"]), "", markdown_text(letter["chair_role"])]
    out += ["", f"**{markdown_text(letter['draft'])}**"] if letter["draft"] else []
    return visible("\n".join(out) + "\n")


def _html_letter(letter: dict[str, Any]) -> str:
    e = html.escape
    mark = f"@top-center {{ content: {_css_string(letter['draft'])}; color: #8a1c1c; font-weight: bold; font-size: 9pt; }}" if letter["draft"] else ""
    out = [
        f'<!DOCTYPE html>\n<html lang="{e(letter["language"])}"><head><meta charset="utf-8">',
        f"<title>{e(letter['title'])}</title><style>{LETTER_STYLE % mark}</style></head><body>",
    ]
    if letter["draft"]:
        out += [f'<div class="watermark" aria-hidden="true">{e(letter["draft_mark"])}</div>', f'<p class="draft">{e(letter["draft"])}</p>']
    out += [f'<p class="date">{e(letter["date"])}</p>', f'<p class="campaign">{e(letter["campaign"])}</p>']
    out += [f'<p class="campaign">{e(letter["reference"])}</p>'] if letter["reference"] else []
    out += [f"<h1>{e(letter['title'])}</h1>", f"<p>{e(letter['greeting'])}</p>", f"<p>{e(letter['opening'])}</p>"]
    out += [f"<h2>{e(letter['outcome_heading'])}</h2>", f"<p>{e(letter['outcome'])}</p>"]
    for stage in letter["stages"]:
        heads = "".join(f"<th>{e(column)}</th>" for column in letter["columns"])
        out.append(f"<h2>{e(stage['heading'])}</h2><table><thead><tr>{heads}</tr></thead><tbody>")
        out += ["<tr>" + "".join(f"<td>{e(cell)}</td>" for cell in row) + "</tr>" for row in stage["rows"]]
        out.append("</tbody></table>")
    if letter["feedback"]:
        out += [f"<h2>{e(letter['feedback_heading'])}</h2>", "<p>" + e(letter["feedback"]).replace("\n", "<br>") + "</p>"]
    out.append(f'<div class="signature"><p>{e(letter["sign_off"])}</p><p class="name">{e(letter["chair"])}<br>{e(letter["chair_role"])}</p></div>')
    return "\n".join(out) + "\n</body></html>\n"
