"""Scoring one candidate: a criterion at a time, with the level's indicators and the scale.

Keys: 1-7 set my score, delete clears it, ctrl+z undoes my last score here, n writes my
overall note on the candidate; tab goes to the evidence, escape comes back; up/down (or j/k) move between criteria; ] and [ go to
the next and previous candidate. Every change is saved at once in the background.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Header, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from assessor.core.campaign import Criterion, Score
from assessor.messages import CampaignChanged
from assessor.rules.visibility import criteria_at, next_gap, notes_seen, others_on_item, scores_without_evidence, shown_name
from assessor.screens.base import CampaignScreen
from assessor.screens.dialogs import ConfirmDialog, FormDialog, FormField
from assessor.screens.widgets import PANE_SCROLL_BINDINGS, KeyFooter, SaveStatus, ScrollsPane

CANDIDATE_KEYS = Binding.Group("Candidate")
"""`]` and `[` share one place in the footer."""


class CriteriaList(OptionList):
    """The criteria; `pagedown` and `pageup` scroll the indicators beside them (a few criteria need no paging)."""

    BINDINGS = [
        # Up and down stop at the ends: a digit typed after `down` on the last criterion scores that one.
        Binding("down", "screen.criterion(1)", "Next criterion", show=False, id="criteria-down"),
        Binding("up", "screen.criterion(-1)", "Previous criterion", show=False, id="criteria-up"),
        Binding("pagedown", "screen.scroll_pane(1)", "Scroll the indicators down", show=False, id="criteria-page-down"),
        Binding("pageup", "screen.scroll_pane(-1)", "Scroll the indicators up", show=False, id="criteria-page-up"),
    ]


class ScoreScreen(ScrollsPane, CampaignScreen[None]):
    """One candidate at one stage, scored criterion by criterion."""

    CSS_PATH = "scoring.tcss"
    BINDINGS = [
        Binding("tab", "write", "Evidence", id="score-evidence"),
        *[
            Binding(
                str(n), f"set_score({n})", "Score" if n == 1 else f"Score {n}", show=n == 1, key_display="1-7" if n == 1 else None, id=f"score-{n}"
            )
            for n in range(1, 8)
        ],
        *[Binding(str(n), "off_the_scale", show=False, id=f"score-off-{n}") for n in (0, 8, 9)],
        Binding("escape", "back", "Back", id="score-back"),
        Binding("right_square_bracket", "candidate(1)", "Next candidate", group=CANDIDATE_KEYS, id="score-next-candidate"),
        Binding("left_square_bracket", "candidate(-1)", "Previous candidate", group=CANDIDATE_KEYS, id="score-previous-candidate"),
        Binding("u", "next_gap('score')", "Next unscored", id="score-next-unscored"),
        Binding("n", "note", "Note", id="score-note"),
        Binding("delete", "clear", "Clear my score", show=False, id="score-clear"),
        Binding("ctrl+z", "undo", "Undo my last score", show=False, id="score-undo"),
        Binding("e", "next_gap('evidence')", "Next without evidence", show=False, id="score-next-no-evidence"),
        Binding("j", "criterion(1)", "Next criterion", show=False, id="score-next-criterion"),
        Binding("k", "criterion(-1)", "Previous criterion", show=False, id="score-previous-criterion"),
        *PANE_SCROLL_BINDINGS,
    ]
    PANE = "#criterion-view"

    def __init__(self, candidate_id: str, stage: str, order: list[str]) -> None:
        super().__init__()
        self.candidate_id = candidate_id
        self.stage = stage
        self.order = order
        self._undo: list[tuple[str, str, Score | None]] = []
        """(candidate, criterion, my score before) for each score I set or cleared here, the last last."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="adjustments", markup=False)
        with Horizontal(id="score-body"):
            yield CriteriaList(id="criteria-list")
            with Vertical(id="score-main"):
                with VerticalScroll(id="criterion-view"):
                    yield Static("", id="criterion-text", markup=False)
                    yield Static("", id="scale", markup=False)
                yield Static("", id="scale-line", markup=False)
                yield Static("", id="my-score", markup=False)
                yield TextArea(id="evidence", soft_wrap=True, show_line_numbers=False)
        yield SaveStatus()
        yield KeyFooter()

    CHANGES = frozenset({"set_score", "off_the_scale", "write", "clear", "undo", "note"})
    """What changes my scores or notes: not offered where they cannot change (read-only, sealed, not on the panel)."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Only what works for who is working is offered: nothing that changes scores on a sealed or
        read-only file, or to someone not on the panel."""
        session = self.app.session
        if action in self.CHANGES and session is not None:
            return not session.read_only and any(member.id == session.who for member in session.campaign.panel)
        return True

    def on_mount(self) -> None:
        # Only two places take keys: the criteria and the evidence; tab and escape move between them.
        self.query_one("#criterion-view", VerticalScroll).can_focus = False
        self._fill_criteria()
        self.query_one("#criteria-list", OptionList).focus()

    def _rows(self) -> dict[tuple[str, str], Score]:
        """This candidate's scores at this stage (kept by the session until the campaign changes)."""
        return self.session.candidate_scores(self.candidate_id, self.stage)

    def _mine(self, criterion_id: str) -> Score | None:
        return self._rows().get((criterion_id, self.session.who))

    def _criteria(self) -> list[Criterion]:
        return criteria_at(self.session.campaign, self.stage)

    def _fill_criteria(self, keep: int = 0) -> None:
        campaign, who = self.session.campaign, self.session.who
        candidate = next(c for c in campaign.candidates if c.id == self.candidate_id)
        stage_name = next(s.name for s in campaign.stages if s.id == self.stage)
        self.title = f"{candidate.id} {shown_name(campaign, candidate, self.stage)}"
        self.sub_title = f"{stage_name} · scoring as {who}"
        shown = candidate.adjustments if self.session.sees_adjustments(self.stage) else ""  # none for a member at a name-blind stage
        adjustments = self.query_one("#adjustments", Static)
        adjustments.update(f"Adjustments: {shown}" if shown else "")
        adjustments.display = bool(shown)
        options = self.query_one("#criteria-list", OptionList)
        options.clear_options()
        for criterion in self._criteria():
            score = self._mine(criterion.id)
            mark = "  " if score is None else f"{score.score}{'' if score.has_evidence else '!'}".ljust(2)
            options.add_option(Option(Content(f"{mark} {criterion.name}"), id=criterion.id))  # plain text: a name is never markup
        if options.option_count:
            options.highlighted = min(keep, options.option_count - 1)
        self._show_criterion()

    def _current(self) -> Criterion | None:
        options = self.query_one("#criteria-list", OptionList)
        if options.highlighted is None:
            return None
        criterion_id = options.get_option_at_index(options.highlighted).id
        return next((c for c in self._criteria() if c.id == criterion_id), None)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_criterion()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_write()

    def _show_criterion(self) -> None:
        criterion = self._current()
        session = self.session
        campaign, framework = session.campaign, session.framework
        text = self.query_one("#criterion-text", Static)
        evidence = self.query_one("#evidence", TextArea)
        if criterion is None:
            text.update("No criteria are assessed at this stage.")
            evidence.disabled = True
            return
        level = campaign.campaign.level
        item = framework.item(criterion.id)
        lines = [f"{criterion.name}  ({criterion.element}, pass mark {criterion.pass_mark})"]
        if item is not None:
            lines += ["", item.summary, "", f"What it looks like at {framework.level_name.lower()} {level}:"]
            lines += [f"• {sentence}" for sentence in framework.indicators(criterion.id, level)]
        elif criterion.description:
            lines += ["", criterion.description]
        body = Text("\n".join(lines))
        body.stylize("bold", 0, len(criterion.name))  # the name bold, as plain text: never read as markup
        text.update(body)
        mine = self._mine(criterion.id)
        scale = [f"{'▶' if mine and mine.score == point.score else ' '} {point.score} {point.label}: {point.meaning}" for point in framework.scale]
        self.query_one("#scale", Static).update("\n".join(scale))
        # Narrow or short, the scale in one line that stays in view: the meanings scroll with the indicators.
        self.query_one("#scale-line", Static).update(
            " · ".join(f"{'▶' if mine and mine.score == point.score else ''}{point.score} {point.label}" for point in framework.scale)
        )
        self._show_my_score()
        # Evidence belongs to a score: until 1-7 is pressed there is nothing to attach it to.
        with evidence.prevent(TextArea.Changed):
            evidence.text = mine.evidence if mine else ""
        evidence.disabled = mine is None or session.read_only

    def _show_my_score(self) -> None:
        criterion = self._current()
        if criterion is None:
            return
        campaign, framework, who = self.session.campaign, self.session.framework, self.session.who
        mine = self._mine(criterion.id)
        if mine is None:
            line = "Your score: none yet. Press 1-7 to score, then tab to write the evidence."
        else:
            point = framework.scale_point(mine.score)
            bare = "" if mine.has_evidence else "  (no evidence yet)"
            line = f"Your score: {mine.score} {point.label}{bare}"
        others = others_on_item(campaign, who, self._rows(), criterion.id)
        if others:
            line += "   · Panel: " + ", ".join(f"{s.assessor} {s.score}" for s in others)
        line += "   · your note on the candidate: " + ("written (n)" if self._my_note() else "none (n writes one)")
        self.query_one("#my-score", Static).update(line)

    def _my_note(self) -> str:
        return next(
            (
                note.text
                for note in notes_seen(self.session.campaign, self.session.who, self.candidate_id, (self.stage,))
                if note.assessor == self.session.who
            ),
            "",
        )

    def action_note(self) -> None:
        """Write my overall note on this candidate at this stage: questions asked, general impressions."""
        if self.session.read_only:
            self.notify("Not changed: the campaign is read-only.", severity="warning")
            return
        candidate, stage = self.candidate_id, self.stage
        field = FormField("text", "Questions asked, general impressions (empty: none)", self._my_note(), kind="multiline")

        def filled(values: dict[str, str] | None) -> None:
            if values is not None and self.session.write_note(candidate=candidate, stage=stage, text=values["text"]):
                self._show_my_score()

        person = next(c for c in self.session.campaign.candidates if c.id == candidate)
        self.app.push_screen(FormDialog(f"Your note on {candidate} {shown_name(self.session.campaign, person, stage)}", [field]), filled)

    def on_campaign_changed(self, message: CampaignChanged) -> None:
        options = self.query_one("#criteria-list", OptionList)
        keep = options.highlighted or 0
        # Relabel in place: rebuilding the list would move the focus and the cursor.
        for index, criterion in enumerate(self._criteria()):
            score = self._mine(criterion.id)
            mark = "  " if score is None else f"{score.score}{'' if score.has_evidence else '!'}".ljust(2)
            options.replace_option_prompt_at_index(index, f"{mark} {criterion.name}")
        options.highlighted = keep
        self._show_my_score()

    def action_off_the_scale(self) -> None:
        """0, 8 and 9 are not scores: say so rather than ignore the key."""
        self.notify("Scores are 1 to 7.", severity="warning")

    def action_set_score(self, value: int) -> None:
        """Record my score for the highlighted criterion (evidence kept)."""
        criterion = self._current()
        if criterion is None:
            return
        before = self._mine(criterion.id)
        if self.session.record_score(candidate=self.candidate_id, criterion=criterion.id, stage=self.stage, score=value):
            self._undo.append((self.candidate_id, criterion.id, before))
            self._show_criterion()

    def action_clear(self) -> None:
        """Take back my score on the highlighted criterion (and its evidence), once confirmed."""
        criterion = self._current()
        mine = self._mine(criterion.id) if criterion is not None else None
        if criterion is None or mine is None:
            self.notify("You have no score here to clear.")
            return
        item = (self.candidate_id, criterion.id)

        def answered(yes: bool | None) -> None:
            if yes and self.session.clear_score(candidate=item[0], criterion=item[1], stage=self.stage):
                self._undo.append((*item, mine))
                self.notify(f"Cleared your score of {mine.score} on {criterion.name}: ctrl+z brings it back.")
                self._show_criterion()

        kept = "The audit keeps a row saying what it was."
        detail = f"Its evidence goes with it. {kept}" if mine.evidence.strip() else kept
        self.app.push_screen(ConfirmDialog(f"Clear your score of {mine.score} on {criterion.name}?", detail, yes="Clear"), answered)

    def action_undo(self) -> None:
        """Put back my score as it was before my last change here (a score set or cleared)."""
        if not self._undo:
            self.notify("Nothing of yours to undo on this screen.")
            return
        candidate, criterion_id, before = self._undo.pop()
        session = self.session
        if before is None:
            done = session.clear_score(candidate=candidate, criterion=criterion_id, stage=self.stage)
        else:
            done = session.record_score(candidate=candidate, criterion=criterion_id, stage=self.stage, score=before.score, evidence=before.evidence)
        if not done:
            return
        if candidate != self.candidate_id:
            self.candidate_id = candidate
        self._fill_criteria(keep=[c.id for c in self._criteria()].index(criterion_id))
        self.notify("Undone: " + ("no score" if before is None else f"your score is {before.score} again") + ".")

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        criterion = self._current()
        if criterion is None or event.text_area.disabled:
            return
        text = event.text_area.text
        mine = self._mine(criterion.id)
        if mine is None or mine.evidence == text:
            return
        self.session.record_score(candidate=self.candidate_id, criterion=criterion.id, stage=self.stage, score=mine.score, evidence=text)

    def action_write(self) -> None:
        """Go to the evidence box (once the criterion has my score)."""
        evidence = self.query_one("#evidence", TextArea)
        if evidence.disabled:
            self.notify("Press 1-7 to score first; the evidence is kept with the score.")
            return
        evidence.move_cursor(evidence.document.end)  # what is typed goes on after what is there
        self.set_focus(evidence)

    def action_criterion(self, step: int) -> None:
        """Move to the next or previous criterion."""
        options = self.query_one("#criteria-list", OptionList)
        if options.option_count:  # no wrapping round: a digit typed after `down` on the last criterion stays on it
            options.highlighted = min(max((options.highlighted or 0) + step, 0), options.option_count - 1)

    def action_candidate(self, step: int) -> None:
        """Go on to the next (or previous) candidate at this stage."""
        if self.candidate_id not in self.order:
            return
        index = self.order.index(self.candidate_id) + step
        if not 0 <= index < len(self.order):
            self.notify("No more candidates that way.")
            return
        self._warn_missing_evidence()
        self.candidate_id = self.order[index]
        self._fill_criteria()
        self.query_one("#criteria-list", OptionList).focus()

    def action_next_gap(self, missing: str) -> None:
        """Go to my next criterion, of this candidate or the next ones, with no score (`u`) or no evidence (`e`)."""
        current = self._current()
        here = (self.candidate_id, current.id if current is not None else "")
        found = next_gap(self.session.campaign, self.session.who, self.stage, self.order, here, missing)
        if found is None:
            self.notify("Everything at this stage has your score." if missing == "score" else "Every score of yours here has evidence.")
            return
        candidate, criterion = found
        if candidate != self.candidate_id:
            self._warn_missing_evidence()
            self.candidate_id = candidate
        self._fill_criteria(keep=[c.id for c in self._criteria()].index(criterion))
        self.query_one("#criteria-list", OptionList).focus()

    def action_back(self) -> None:
        """From the evidence, back to the criteria; from the criteria, back to the list."""
        if self.focused is self.query_one("#evidence", TextArea):
            self.query_one("#criteria-list", OptionList).focus()
            return
        self._warn_missing_evidence()
        self.app.pop_screen()

    def _warn_missing_evidence(self) -> None:
        bare = scores_without_evidence(self.session.campaign, self.session.who, self.stage)
        if bare:
            self.notify(f"{bare} of your scores at this stage have no evidence yet.", title="Evidence", severity="warning")
