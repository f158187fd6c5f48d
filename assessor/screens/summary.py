"""The summary mode: the merit list exactly as `rules.scoring.summarise` works it out.

From here the chair moderates (`m` on a candidate, `q` for the queue of what needs
them), reads the panel's calibration (`c`), exports the summary (`e`) and signs off (`f`).
"""

from __future__ import annotations

import io
from typing import cast

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from assessor.changes.decisions import separate
from assessor.core.campaign import OfferResult
from assessor.core.errors import CampaignError
from assessor.messages import CampaignChanged
from assessor.report.formats import EXTENSIONS, FORMATS
from assessor.report.wording import FLAG_LETTERS, fit, outcome_brief, outcome_words, own_score, rank_text
from assessor.rules.ranking import ordered_how
from assessor.rules.stages import current_stage
from assessor.rules.summary_types import FLAG_WORDS, Summary, format_score
from assessor.rules.visibility import items_to_score, panel_progress, sees_progress_of_all
from assessor.screens.base import CampaignScreen
from assessor.screens.columns import Column, fitted_table, room_of
from assessor.screens.dialogs import ChooseDialog, ConfirmDialog, FormDialog, FormField
from assessor.screens.widgets import DrawnFrom, KeyFooter, RowTable, SaveStatus


class SummaryScreen(CampaignScreen[None]):
    """Rank, candidate, outcome, total, each counted criterion's agreed score and flags."""

    CSS_PATH = "summary.tcss"
    BINDINGS = [
        Binding("f", "finalise", "Finalise", id="summary-finalise"),
        Binding("m", "moderate", "Moderate", id="summary-moderate"),
        Binding("q", "queue", "Needs the chair", id="summary-queue"),
        Binding("w", "washup", "Wash-up", id="summary-washup"),
        Binding("e", "export", "Export", id="summary-export"),
        Binding("s", "next_stage", "Stage", id="summary-stage"),
        Binding("c", "calibration", "Calibration", id="summary-calibration"),
        Binding("o", "order_tie", "Order a tie", id="summary-order-tie"),
        Binding("r", "offer", "Offer", id="summary-offer"),
    ]

    CHAIRS = frozenset({"finalise", "washup", "order_tie", "offer"})
    """What only the chair does here: a member is not offered these keys at all."""
    FROM_MODERATION = frozenset({"queue", "calibration", "moderate"})
    """What shows everyone's scores: a member is offered these once the campaign reaches moderation."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Only what works for who is working at this status is offered (in the footer and the palette)."""
        session = self.app.session
        if session is None:
            return True
        if action in self.CHAIRS:
            return session.is_chair
        if action in self.FROM_MODERATION:
            return session.is_chair or session.sees_everything
        return True

    def __init__(self) -> None:
        super().__init__()
        self.stage: str | None = None  # None: the stages counted for the merit list
        self._drawn = DrawnFrom()
        self._letters = False
        """The flags are shown as letters (a narrow terminal), with their legend below."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="final-banner")
        yield Static("", id="summary-heading")
        yield RowTable(id="merit-list", cursor_type="row", zebra_stripes=True)
        yield Static("", id="summary-detail", markup=False)
        yield Static("", id="summary-notes", markup=False)
        yield SaveStatus()
        yield KeyFooter()

    def on_mount(self) -> None:
        campaign = self.session.campaign
        if campaign.campaign.status == "sift":  # while the panel sifts, the summary is the sift's: who goes on
            self.stage = current_stage(campaign)
        self.show()
        self.query_one("#merit-list", DataTable).focus()

    def on_screen_resume(self) -> None:
        self.show()

    def on_campaign_changed(self, message: CampaignChanged) -> None:
        self.show()

    def summary(self) -> Summary:
        """The summary shown, as who is working may see it: the merit list, or the chosen stage's."""
        return self.session.summary_view(self.stage)

    def show(self) -> None:
        """Draw the summary; names follow the name-blind rule of the stage shown."""
        campaign = self.session.campaign
        if not self._drawn.changed(campaign, self.stage, self.session.who, self.session.read_only, self.size.width):
            return  # resumed with nothing changed: 5,000 rows are not drawn again
        summary = self.summary()
        self.title = summary.title
        self.sub_title = f"summary · {self.session.who}"
        banner = self.query_one("#final-banner", Static)
        banner.display = self.session.read_only
        if campaign.seal is not None:
            banner.update(
                f"FINAL — sealed by {campaign.seal.by} on {campaign.seal.at:%Y-%m-%d}; read-only. "
                f"Seal sha256 {campaign.seal.sha256}: record it apart from the file."
            )
        elif self.session.read_only:
            banner.update("READ-ONLY — someone else has this campaign open.")
        kind = "Merit list" if summary.counted else "Stage summary (passed candidates go on)"
        self.query_one("#summary-heading", Static).update(
            f"{kind} · stages: {', '.join(summary.stages)} · vacancies {summary.vacancies} · s: another stage"
        )
        table = self.query_one("#merit-list", DataTable)
        keep = table.cursor_row
        columns = [
            Column("Rank"),
            Column("Candidate", least=12, gives=4),
            Column("Outcome", least=10, gives=3),
            Column("Total"),
            *[Column(column.criterion.name, least=6, short=fit(column.criterion.name, 6)) for column in summary.columns],
            Column("Flags", least=1, gives=2),
        ]
        view = summary.seen_by is not None

        def rows(letters: bool) -> list[tuple[str, list[str]]]:
            lines = []
            for result in summary.candidates:
                if view:  # before moderation: my own scores, nothing that depends on anyone else's
                    scores = [own_score(summary, item) for item in result.items]
                else:
                    scores = [format_score(item.agreed) + ("*" if item.moderated else "") for item in result.items]
                flags = " ".join(FLAG_LETTERS[flag] for flag in result.flags) if letters else ", ".join(result.flags)
                cells = [
                    "·" if view else rank_text(result),
                    result.display_name,
                    "·" if result.outcome is None else outcome_brief(result),
                    "·" if result.total is None else format_score(result.total),
                    *scores,
                    flags,
                ]
                lines.append((result.id, cells))
            return lines

        # Too narrow for the flags in words: their letters, with the legend below.
        self._letters = fitted_table(table, columns, rows(letters=False), room_of(table), shorter=lambda: rows(letters=True))
        table.fixed_columns = 2  # scrolling right keeps the rank and the name in view
        if summary.candidates:
            table.move_cursor(row=min(keep, len(summary.candidates) - 1))
        notes = self._notes(summary) or ["* agreed by the chair at moderation"]
        if self._letters:
            shown = {flag for result in summary.candidates for flag in result.flags}
            notes.append("Flags: " + "; ".join(f"{FLAG_LETTERS[flag]} {words}" for flag, words in FLAG_WORDS.items() if flag in shown))
        self.query_one("#summary-notes", Static).update("\n".join(notes))
        self._show_detail()

    def on_resize(self) -> None:
        self.show()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        """The highlighted candidate in full: the outcome with its reasons in the words of every format,
        and their reasonable adjustments where the view holds them."""
        table, candidates = self.query_one("#merit-list", DataTable), self.summary().candidates
        detail = self.query_one("#summary-detail", Static)
        if not 0 <= table.cursor_row < len(candidates):
            detail.update("")
            return
        result = candidates[table.cursor_row]  # the rows are the summary's, in its order: no search at each key
        line = f"{result.id} {result.display_name}"
        if result.outcome is not None:
            line += f": {outcome_words(result)}"
        if result.adjustments.strip():  # as the view holds them: none for a member at a name-blind stage
            line += f" · adjustments: {' '.join(result.adjustments.split())}"
        detail.update(line)

    def _notes(self, summary: Summary) -> list[str]:
        if summary.seen_by is None:
            ties = [f"{result.id}: {note}" for result in summary.candidates for note in result.notes if note.startswith(("ranked", "tied"))]
            return [ordered_how(note, "o") for note in ties]  # o orders a tie across the appointable line here
        campaign, who = self.session.campaign, self.session.who
        counts = panel_progress(campaign, summary.stages)
        if sees_progress_of_all(campaign, who):
            progress = " · ".join(f"{member.name} {count} of {items_to_score(campaign, summary.stages, member.id)}" for member, count in counts)
        else:
            mine = next((count for member, count in counts if member.id == who), 0)
            progress = f"you {mine} of {items_to_score(campaign, summary.stages, who)}"
        lines = [
            "Before moderation you see your own scores (the columns); the totals, ranks and outcomes come at moderation.",
            f"Scored so far: {progress}.",
        ]
        if self.session.is_chair:
            lines.append("As the chair you see a colleague's score on an item once you have scored it yourself (m).")
        return lines

    def _current(self) -> str | None:
        table = self.query_one("#merit-list", DataTable)
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def action_next_stage(self) -> None:
        """Cycle: the merit list, then each stage on its own."""
        choices: list[str | None] = [None, *[s.id for s in self.session.campaign.stages]]
        self.stage = choices[(choices.index(self.stage) + 1) % len(choices)]
        self.show()

    def action_moderate(self) -> None:
        """Open the highlighted candidate's panel scores (the chair records agreed scores)."""
        from assessor.screens.moderation import ModerationScreen

        candidate = self._current()
        if candidate is None:
            return
        if not (self.session.sees_everything or self.session.is_chair):
            self.notify("Panel scores are shown to members once the campaign reaches moderation.", severity="warning")
            return
        self.app.push_screen(ModerationScreen(candidate, self.summary().stages))

    def action_queue(self) -> None:
        """What needs the chair: disagreements first."""
        from assessor.screens.queue import QueueScreen

        if not self.session.sees_everything:
            self.notify(self._opens_at_moderation("The moderation queue"), severity="warning")
            return
        self.app.push_screen(QueueScreen(self.stage))

    def action_washup(self) -> None:
        """The chair walks the items to agree, in merit order (the wash-up)."""
        from assessor.screens.washup import WashUpScreen

        if not self.session.is_chair:
            self.notify("The wash-up is the chair's: only the chair records agreed scores.", severity="warning")
            return
        if not self.session.sees_everything:
            self.notify(self._opens_at_moderation("The wash-up"), severity="warning")
            return
        self.app.push_screen(WashUpScreen())

    def action_order_tie(self) -> None:
        """The chair records the order of the tie across the appointable line the cursor is on."""
        candidate = self._current()
        summary = self.summary()
        result = next((r for r in summary.candidates if r.id == candidate), None) if candidate else None
        if result is None or "tie-at-line" not in result.flags:
            self.notify("Move to a candidate tied across the appointable line (flag tie-at-line) to order the tie.", severity="warning")
            return
        tied = [r for r in summary.candidates if r.rank == result.rank and "tie-at-line" in r.flags]
        tie = [r.id for r in tied]
        who = "; ".join(f"{r.id} {r.display_name}" for r in tied)  # the names beside the ids to be ordered
        fields = [
            FormField("order", "Their ids, highest first, separated by commas", ", ".join(tie), required=True),
            FormField("rationale", "Why this order (on merit: who would do the job best)", kind="multiline", required=True),
        ]

        def filled(values: dict[str, str] | None) -> None:
            if values:
                order = [part.strip() for part in values["order"].split(",") if part.strip()]
                self.session.decide(separate, order=order, rationale=values["rationale"])

        self.app.push_screen(FormDialog(f"Order the tie at rank {result.rank}: {who}", fields), filled)

    def action_offer(self) -> None:
        """After the seal, the chair records what happened to an offer to the highlighted candidate."""
        candidate = self._current()
        campaign = self.session.campaign
        if campaign.seal is None:
            self.notify("Offers are recorded once the campaign is finalised and sealed (f).", severity="warning")
            return
        if candidate is None or not self.session.is_chair:
            self.notify("Only the chair records offers, on a candidate of the merit list.", severity="warning")
            return
        results = [(result, result) for result in ("offered", "accepted", "declined", "withdrawn")]
        fields = [FormField("result", "What happened", "offered", "select", results, required=True), FormField("note", "Note (e.g. a start date)")]

        def filled(values: dict[str, str] | None) -> None:
            if values and self.session.offer(candidate=candidate, result=cast(OfferResult, values["result"]), note=values["note"]):
                self.notify(f"{candidate} {values['result']}: offer record {len(self.session.campaign.offers)}, chained to the seal.")

        self.app.push_screen(FormDialog(f"Offer to {candidate}", fields), filled)

    def action_calibration(self) -> None:
        """Each member's scores against the panel's."""
        from assessor.screens.queue import CalibrationScreen

        if not self.session.sees_everything:
            self.notify(self._opens_at_moderation("Calibration, which compares everyone's scores,"), severity="warning")
            return
        self.app.push_screen(CalibrationScreen(self.stage))

    def _opens_at_moderation(self, what: str) -> str:
        if self.session.is_chair:
            return f"{what} opens at moderation: until then you see a colleague's score once you have scored the item yourself."
        return f"{what} opens at moderation: until then you see your own scores only."

    def action_export(self) -> None:
        """Write the summary shown to a file in any report format."""
        options = [(f"{fmt} (.{EXTENSIONS[fmt]})", fmt) for fmt in FORMATS]

        def chosen(fmt: str | None) -> None:
            if fmt is None:
                return
            target = self.session.export_path(fmt, self.stage)
            if self.app.is_web:  # in a browser the file goes to the browser, as a download
                self.export(fmt, download=True)
            elif target.exists():
                self.app.push_screen(ConfirmDialog(f"Replace {target.name}?", yes="Replace"), lambda yes: self.export(fmt) if yes else None)
            else:
                self.export(fmt)

        self.app.push_screen(ChooseDialog("Export the summary as", options), chosen)

    @work(thread=True, group="export")
    def export(self, fmt: str, download: bool = False) -> None:
        """Render and write off the event loop; say where the file is (or send it to the browser)."""
        try:
            if download:
                name = self.session.export_path(fmt, self.stage).name
                data = self.session.summary_bytes(fmt, self.stage)
                self.app.call_from_thread(self.app.deliver_binary, io.BytesIO(data), save_filename=name)
                self.app.call_from_thread(self.notify, f"{name}: sent to your browser as a download", title="Exported")
                return
            target = self.session.export_summary(fmt, self.stage)
        except CampaignError as exc:
            self.app.call_from_thread(self.notify, exc.first_line, title="Not exported", severity="error")
            return
        self.app.call_from_thread(self.notify, str(target), title="Exported")

    def action_finalise(self) -> None:
        """The chair signs off: lists what is unresolved first; sealing makes the file read-only."""
        if not self.session.is_chair:
            self.notify("Only the chair finalises the campaign.", severity="warning")
            return
        items = [ordered_how(item.line, "o") for item in self.session.open_items()]

        def sign(force: bool, rationale: str = "") -> None:
            if self.session.finalise(force=force, rationale=rationale) and (sealed := self.session.campaign.seal) is not None:
                # As `assessor finalise` prints it: the seal shows the file unchanged only against a record kept apart.
                digest = f"seal sha256 {sealed.sha256}: record it apart from the file; `assessor verify FILE --digest` checks against it"
                self.notify(digest, title="Sealed", timeout=120)

        if not items:
            self.app.push_screen(
                ConfirmDialog("Finalise and seal the campaign?", "After this nobody can change it; HR keeps the sealed file.", yes="Finalise"),
                lambda yes: sign(False) if yes else None,
            )
            return
        listed = "\n".join(f"• {item}" for item in items[:12]) + (f"\n… and {len(items) - 12} more" if len(items) > 12 else "")
        still = f"{len(items)} item is still open" if len(items) == 1 else f"{len(items)} items are still open"
        self.app.push_screen(
            FormDialog(
                f"{still}. Finalise anyway? {'It' if len(items) == 1 else 'They'} will be recorded in the audit.",
                [FormField("rationale", "Why sign off now (required)", required=True, kind="multiline")],
                save="Seal the campaign",
                detail=listed,
            ),
            lambda values: sign(True, values["rationale"]) if values else None,
        )
