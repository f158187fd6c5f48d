"""Set-up tabs: the panel, and the candidates (typed in or imported from CSV or a workbook)."""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from assessor.changes.setup_people import (
    CandidateRows,
    add_candidate,
    add_member,
    import_candidates,
    remove_member,
    set_withdrawn,
    update_candidate,
    update_member,
)
from assessor.core.campaign import PANEL_ROLES, Campaign, PanelMember
from assessor.core.errors import CampaignError
from assessor.core.framework import Framework
from assessor.rules.readiness import min_assessors
from assessor.rules.roles import in_set_up
from assessor.screens.base import CampaignWidget
from assessor.screens.columns import plain_row
from assessor.screens.dialogs import ConfirmDialog, FormDialog, FormField
from assessor.screens.widgets import as_sentence

ROLE_OPTIONS = [(role, role) for role in PANEL_ROLES]


class _TablePane(CampaignWidget, Vertical):
    """A pane whose main widget is a row-cursor DataTable keyed by id."""

    TABLE_ID = ""

    def _current(self) -> str | None:
        table = self.query_one(f"#{self.TABLE_ID}", DataTable)
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def _refill(self, rows: list[tuple[str, tuple[str, ...]]]) -> None:
        table = self.query_one(f"#{self.TABLE_ID}", DataTable)
        row = table.cursor_row
        table.clear()
        for key, cells in rows:
            table.add_row(*plain_row(cells), key=key)
        if rows:
            table.move_cursor(row=min(row, len(rows) - 1))


class PanelPane(_TablePane):
    """Panel members and their roles; exactly one chair is needed before scoring."""

    TABLE_ID = "panel-table"
    BINDINGS = [
        Binding("a", "add", "Add member", id="panel-add"),
        Binding("e", "edit", "Edit", id="panel-edit"),
        Binding("delete", "remove", "Remove", id="panel-remove"),
    ]

    def compose(self) -> ComposeResult:
        yield Static("a add a member · e edit name or role · del remove (only before they score)", classes="pane-help")
        yield Static("", id="panel-warning", classes="pane-warning")
        yield DataTable(id=self.TABLE_ID, cursor_type="row", classes="pane-table")

    def on_mount(self) -> None:
        self.query_one(f"#{self.TABLE_ID}", DataTable).add_columns("ID", "Name", "Role")

    def show(self, campaign: Campaign, framework: Framework) -> None:
        """List the panel and say if the chair is missing, or (in set-up) too few members to move on."""
        self._refill([(m.id, (m.id, m.name, m.role)) for m in campaign.panel])
        chairs = len(campaign.chairs())
        warning = "" if chairs == 1 else ("No chair yet: one member must be the chair." if not chairs else f"{chairs} chairs: exactly one is needed.")
        fewest = min_assessors(campaign)
        if not warning and in_set_up(campaign) and len(campaign.panel) < fewest:
            warning = f"Fewer than {fewest} panel members who score (min_assessors): everyone on the panel scores, the chair too."
        self.query_one("#panel-warning", Static).update(warning)

    def _ids_check(self, own: str | None):
        taken = {m.id for m in self.session.campaign.panel} - {own}

        def check(values: dict[str, str]) -> str | None:
            wanted = values.get("id", "")
            return f"The id {wanted!r} is already on the panel." if wanted and wanted in taken else None

        return check

    def action_add(self) -> None:
        """Add a panel member."""
        fields = [
            FormField("name", "Name", required=True),
            FormField("role", "Role", "member", "select", ROLE_OPTIONS, required=True),
            FormField("id", "Short id (used in the file; made from the name if empty)"),
        ]

        def filled(values: dict[str, str] | None) -> None:
            if values and self.session.setup(add_member, name=values["name"], role=values["role"], member_id=values["id"] or None):
                self._offer_to_become(self.session.campaign.panel[-1])

        self.app.push_screen(FormDialog("Add a panel member", fields, self._ids_check(None)), filled)

    def _offer_to_become(self, member: PanelMember) -> None:
        """Whoever set the panel up without being on it (a new chair) is asked whether this is them:
        working as them, they score, and the chair moves the campaign on."""
        if any(m.id == self.session.who for m in self.session.campaign.panel):
            return
        question = f"You are working as {self.session.who!r}, who is not on the panel. Are you {member.name} ({member.id})?"
        detail = "Working as them, you score (and, as the chair, move the campaign on); your sheet is held while you work."
        self.app.push_screen(ConfirmDialog(question, detail, yes=f"Work as {member.name}"), lambda yes: self.app.become(member.id) if yes else None)

    def action_edit(self) -> None:
        """Change the highlighted member's name or role."""
        member_id = self._current()
        member = next((m for m in self.session.campaign.panel if m.id == member_id), None)
        if member is None:
            return
        fields = [
            FormField("name", "Name", member.name, required=True),
            FormField("role", "Role", member.role, "select", ROLE_OPTIONS, required=True),
        ]

        def filled(values: dict[str, str] | None) -> None:
            if values:
                self.session.setup(update_member, member.id, name=values["name"], role=values["role"])

        self.app.push_screen(FormDialog(f"Edit {member.name}", fields), filled)

    def action_remove(self) -> None:
        """Remove the highlighted member, after asking."""
        member_id = self._current()
        if member_id is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.session.setup(remove_member, member_id)

        member = next((m for m in self.session.campaign.panel if m.id == member_id), None)
        who = f"{member.name} ({member.role})" if member is not None else member_id
        self.app.push_screen(ConfirmDialog(f"Remove {who} from the panel?", yes="Remove"), answered)


class CandidatesPane(_TablePane):
    """Candidates: add, edit, withdraw or reinstate, import from CSV."""

    TABLE_ID = "candidates-table"
    BINDINGS = [
        Binding("a", "add", "Add candidate", id="candidates-add"),
        Binding("e", "edit", "Edit", id="candidates-edit"),
        Binding("w", "withdraw", "Withdraw/reinstate", id="candidates-withdraw"),
        Binding("i", "import_csv", "Import CSV", id="candidates-import"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(
            "a add · e edit · w withdraw or reinstate (kept in the file, out of the ranking) · "
            "i import a CSV file with columns name, reference, adjustments, guaranteed_interview",
            classes="pane-help",
        )
        yield DataTable(id=self.TABLE_ID, cursor_type="row", classes="pane-table", zebra_stripes=True)

    def on_mount(self) -> None:
        self.query_one(f"#{self.TABLE_ID}", DataTable).add_columns("ID", "Name", "Reference", "Adjustments", "Scheme", "")

    def show(self, campaign: Campaign, framework: Framework) -> None:
        """List the candidates."""
        schemes = framework.scheme_names
        self._refill(
            [
                (
                    c.id,
                    (
                        c.id,
                        c.name,
                        c.reference,
                        c.adjustments.replace("\n", " "),
                        schemes.get(c.guaranteed_interview or "", ""),
                        "withdrawn" if c.withdrawn else "",
                    ),
                )
                for c in campaign.candidates
            ]
        )

    def _form(self, name: str = "", reference: str = "", adjustments: str = "", scheme: str = "") -> list[FormField]:
        schemes = [(scheme.name, scheme.id) for scheme in self.session.framework.guaranteed_interviews]
        return [
            FormField("name", "Name", name, required=True),
            FormField("reference", "Reference (shown instead of the name in a name-blind sift)", reference),
            FormField("adjustments", "Reasonable adjustments (e.g. extra time, large print)", adjustments, "multiline"),
            *([FormField("guaranteed_interview", "Guaranteed interview scheme (blank: none)", scheme, "select", schemes)] if schemes else []),
        ]

    def _reference_check(self, own: str | None):
        taken = {c.reference for c in self.session.campaign.candidates if c.reference and c.id != own}

        def check(values: dict[str, str]) -> str | None:
            wanted = values.get("reference", "")
            return f"The reference {wanted!r} is already used." if wanted and wanted in taken else None

        return check

    def action_add(self) -> None:
        """Add a candidate."""

        def filled(values: dict[str, str] | None) -> None:
            if values:
                self.session.setup(add_candidate, **values)

        self.app.push_screen(FormDialog("Add a candidate", self._form(), self._reference_check(None)), filled)

    def action_edit(self) -> None:
        """Edit the highlighted candidate."""
        candidate_id = self._current()
        candidate = next((c for c in self.session.campaign.candidates if c.id == candidate_id), None)
        if candidate is None:
            return

        def filled(values: dict[str, str] | None) -> None:
            if values:
                self.session.setup(update_candidate, candidate.id, **values)

        self.app.push_screen(
            FormDialog(
                f"Edit {candidate.id}",
                self._form(candidate.name, candidate.reference, candidate.adjustments, candidate.guaranteed_interview or ""),
                self._reference_check(candidate.id),
            ),
            filled,
        )

    def action_withdraw(self) -> None:
        """Withdraw the highlighted candidate (or reinstate them), after asking."""
        candidate_id = self._current()
        candidate = next((c for c in self.session.campaign.candidates if c.id == candidate_id), None)
        if candidate is None:
            return
        verb = "Reinstate" if candidate.withdrawn else "Withdraw"

        def answered(yes: bool | None) -> None:
            if yes:
                self.session.setup(set_withdrawn, candidate.id, not candidate.withdrawn)

        self.app.push_screen(ConfirmDialog(f"{verb} {candidate.name} ({candidate.id})?", "Their scores stay in the file.", yes=verb), answered)

    def action_import_csv(self) -> None:
        """Import candidates from a CSV file or an .xlsx workbook: all rows, or none if any row is bad."""

        def filled(values: dict[str, str] | None) -> None:
            if values:
                self._import(Path(values["path"]).expanduser())

        self.app.push_screen(
            FormDialog("Import candidates", [FormField("path", "CSV or .xlsx file (columns: name, reference, adjustments, ...)", required=True)]),
            filled,
        )

    @work(thread=True, exclusive=True, group="import")
    def _import(self, path: Path) -> None:
        """Read and check the file off the event loop (a big workbook takes a while)."""
        self.app.call_from_thread(self.notify, f"Reading {path.name}…", title="Import")
        try:
            rows = self.session.read_candidate_file(path)
        except CampaignError as exc:
            listed = "\n".join(str(problem) for problem in exc.problems[:8])
            more = f"\n… and {len(exc.problems) - 8} more" if len(exc.problems) > 8 else ""
            self.app.call_from_thread(self.notify, f"Nothing imported.\n{listed}{more}", title="Import refused", severity="error", timeout=20)
            return
        self.app.call_from_thread(self._add_imported, rows, path.name)

    def _add_imported(self, rows: CandidateRows, source: str) -> None:
        if self.session.setup(import_candidates, rows, source, ignored=rows.ignored):
            what = self.session.campaign.audit[-1].what  # "imported 1 candidate from ...", and any column left out
            self.notify(as_sentence(what) + ".", title="Import")
