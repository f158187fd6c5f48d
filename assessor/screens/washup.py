"""The wash-up walk: the chair goes through the items the panel agrees, in merit order, and
records each agreed score with one key."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from assessor.messages import CampaignChanged
from assessor.rules.readiness import unanimous_items, washup_walk
from assessor.rules.visibility import shown_name
from assessor.screens.base import CampaignScreen
from assessor.screens.columns import plain_row
from assessor.screens.dialogs import ConfirmDialog, FormDialog, FormField
from assessor.screens.widgets import KeyFooter, RowTable, SaveStatus


class WashUpScreen(CampaignScreen[None]):
    """One item at a time: the panel's scores and evidence; `1`-`7` records the agreed score."""

    CSS_PATH = "summary.tcss"
    BINDINGS = [
        *[Binding(str(score), f"agree({score})", f"Agree {score}", show=score in (1, 7), id=f"washup-agree-{score}") for score in range(1, 8)],
        Binding("n", "step(1)", "Next item", id="washup-next"),
        Binding("p", "step(-1)", "Previous item", id="washup-previous"),
        Binding("u", "unanimous", "Agree the unanimous", id="washup-unanimous"),
        Binding("ctrl+z", "undo_unanimous", "Undo the unanimous", show=False, id="washup-undo"),
        Binding("escape", "app.pop_screen", "Back", id="washup-back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.place = 0
        self.item_key: tuple[str, str, str] | None = None
        """(candidate, criterion, stage) shown now: kept across a redraw while it is still to agree."""
        self.agreed_together: list[tuple[str, str, str, int]] = []
        """The items `u` last agreed in one step: what ctrl+z takes back."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="summary-heading")
        yield RowTable(id="washup-panel", cursor_type="row", zebra_stripes=True)
        yield Static("", id="evidence-view")
        yield SaveStatus()
        yield KeyFooter()

    def on_mount(self) -> None:
        self.show()

    def on_campaign_changed(self, message: CampaignChanged) -> None:
        self.show()

    def show(self) -> None:
        """The item at the walk's place: who gave what, with their evidence."""
        campaign = self.session.campaign
        walk = washup_walk(self.session.summary(show_names=True))
        keys = [(result.id, item.criterion, item.stage) for result, item in walk]
        if self.item_key in keys:
            self.place = keys.index(self.item_key)
        self.place = min(self.place, max(len(walk) - 1, 0))
        self.title, self.sub_title = campaign.campaign.title, "wash-up"
        heading = self.query_one("#summary-heading", Static)
        table = self.query_one("#washup-panel", DataTable)
        table.clear(columns=True)
        if not walk:
            self.item_key = None
            heading.update("Every item of the merit list has the panel's agreed score: nothing is left to agree.")
            self.query_one("#evidence-view", Static).update("")
            return
        result, item = walk[self.place]
        self.item_key = keys[self.place]
        candidate = next(c for c in campaign.candidates if c.id == result.id)
        criterion = next(c for c in campaign.criteria if c.id == item.criterion)
        heading.update(
            f"Item {self.place + 1} of {len(walk)} · {candidate.id} {shown_name(campaign, candidate, item.stage)} · {criterion.name} at {item.stage} "
            f"(pass mark {criterion.pass_mark}) · 1-7 records the agreed score · n next · p previous"
        )
        names = {member.id: member.name for member in campaign.panel}
        table.add_columns("Panel member", "Score", "Evidence")
        evidence = self.session.candidate_scores(result.id, item.stage)
        for who, value in item.scores.items():
            written = evidence.get((item.criterion, who))
            text = written.evidence.strip().replace("\n", " ") if written is not None else ""
            table.add_row(*plain_row([names.get(who, who), str(value), text or "— no evidence —"]), key=who)
        scores = ", ".join(str(value) for value in item.scores.values())
        self.query_one("#evidence-view", Static).update(
            f"Panel: {scores}. An agreed score one of them gave needs no rationale; any other asks for one."
        )
        table.focus()

    def action_step(self, step: int) -> None:
        """Move to the next or previous item of the walk."""
        walk = washup_walk(self.session.summary(show_names=True))
        if walk:
            self.place = (self.place + step) % len(walk)
            result, item = walk[self.place]
            self.item_key = (result.id, item.criterion, item.stage)
            self.show()

    def action_agree(self, score: int) -> None:
        """Record `score` as the agreed score of the item shown; ask why where nobody gave it."""
        if not self.session.is_chair:
            self.notify("Only the chair records agreed scores.", severity="warning")
            return
        if self.item_key is None:
            return
        candidate, criterion, stage = self.item_key
        walk = dict(((r.id, i.criterion, i.stage), i) for r, i in washup_walk(self.session.summary(show_names=True)))
        item = walk.get(self.item_key)
        if item is None:
            return
        if score in item.scores.values():
            self.session.moderate(candidate=candidate, criterion=criterion, stage=stage, score=score, rationale="")
            return

        def filled(values: dict[str, str] | None) -> None:
            if values:
                self.session.moderate(candidate=candidate, criterion=criterion, stage=stage, score=score, rationale=values["rationale"])

        field = FormField("rationale", f"Why {score}, which no panel member gave", kind="multiline", required=True)
        campaign = self.session.campaign
        criterion_name = next((c.name for c in campaign.criteria if c.id == criterion), criterion)
        stage_name = next((s.name for s in campaign.stages if s.id == stage), stage)
        self.app.push_screen(FormDialog(f"Agree {score}: {criterion_name} at {stage_name}", [field]), filled)

    def action_unanimous(self) -> None:
        """Agree in one step every item the panel scored alike, each at that score with the rationale
        "unanimous", once the chair has seen the list and confirmed it; ctrl+z takes them back."""
        if not self.session.is_chair:
            self.notify("Only the chair records agreed scores.", severity="warning")
            return
        items = unanimous_items(self.session.summary(show_names=True))
        if not items:
            self.notify("No item still to agree was scored alike by the whole panel.")
            return
        shown = "; ".join(f"{candidate} {criterion}@{stage} {score}" for candidate, criterion, stage, score in items[:12])
        more = f" and {len(items) - 12} more" if len(items) > 12 else ""

        def answered(yes: bool | None) -> None:
            if yes and self.session.agree_unanimous(items):
                self.agreed_together = items
                self.notify(f'Agreed {len(items)} unanimous items, each with the rationale "unanimous": ctrl+z takes them back.')

        question = f"Agree the {len(items)} items the panel scored alike, each at that score?"
        self.app.push_screen(ConfirmDialog(question, f'{shown}{more}. Each is recorded with the rationale "unanimous".', yes="Agree them"), answered)

    def action_undo_unanimous(self) -> None:
        """Take back the items `u` last agreed, in one step."""
        if not self.agreed_together:
            self.notify("Nothing agreed with u to take back.")
            return
        if self.session.agree_unanimous(self.agreed_together, undo=True):
            self.notify(f"Took back the {len(self.agreed_together)} unanimous agreed scores.")
            self.agreed_together = []
