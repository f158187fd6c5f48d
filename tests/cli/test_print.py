"""The HTML archive printed to PDF by headless Chromium, read back with pdftotext: every
column of the merit list on the page, its header repeated on every page, and DRAFT on every
page until the campaign is final (then the seal and the signature block instead); every
table's header row in a `thead`, so that it repeats on each page the table runs over, no
heading left at the foot of a page, and a sign-off forced over open items said so beside the
signature."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from assessor.storage.campaign_file import save_campaign
from tests.cli.conftest import finalise_long_ago
from tests.cli.test_serve import CHROMIUM_FLAGS, find_chromium
from tests.conftest import run_cli
from tests.generate import make_campaign

FORCED_WORDS = "Signed off over open items"

TIMEOUT = 120


class MeritHeadings(HTMLParser):
    """The column headings of the merit list's table (`<table class="merit">`), as the page shows them."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[str] = []
        self._in_merit = self._in_head = self._in_cell = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and ("class", "merit") in attrs and not self.headings:  # the merit list's, the first
            self._in_merit = True
        elif self._in_merit and tag == "thead":
            self._in_head = True
        elif self._in_head and tag == "th":
            self._in_cell = True
            self.headings.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "thead":
            self._in_head = self._in_merit = False
        elif tag == "th":
            self._in_cell = False

    def handle_data(self, data: str) -> None:
        if self._in_cell and self.headings and not self.headings[-1]:
            self.headings[-1] = data.strip()  # the first line of a heading: its name, not the stage under it


class Tables(HTMLParser):
    """Each table of a page: its class, and whether its header row comes first, in a `thead`; and the
    text of every heading (`h1` to `h3`)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[tuple[str, bool]] = []  # (class, header in a thead)
        self.headings: list[str] = []
        self._first: str | None = None  # the first tag inside the table just opened
        self._in_heading = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append((dict(attrs).get("class") or "", False))
            self._first = "table"
        elif self._first == "table":
            self._first = tag
            if tag == "thead":
                self.tables[-1] = (self.tables[-1][0], True)
        if tag in ("h1", "h2", "h3"):
            self._in_heading = True
            self.headings.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2", "h3"):
            self._in_heading = False
            self.headings[-1] = " ".join(self.headings[-1].split())

    def handle_data(self, data: str) -> None:
        if self._in_heading:
            self.headings[-1] += data


def printed(html: Path, chromium: str) -> list[str]:
    """The pages of HTML printed to PDF, as text."""
    pdf = html.with_suffix(".pdf")
    subprocess.run(
        [chromium, "--headless", *CHROMIUM_FLAGS, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.as_uri()],
        capture_output=True,
        timeout=TIMEOUT,
        check=True,
    )
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, timeout=TIMEOUT, check=True).stdout
    return [page for page in text.split("\f") if page.strip()]


@pytest.fixture
def tools() -> str:
    chromium = find_chromium()
    if chromium is None or shutil.which("pdftotext") is None:
        pytest.skip("needs Chromium and pdftotext (Debian: chromium, poppler-utils; `make test` installs them as root)")
    return chromium


def test_a_wide_merit_list_prints_every_column_with_its_header_on_every_page_and_draft_until_final(tmp_path: Path, tools: str) -> None:
    path = tmp_path / "wide.toml"
    save_campaign(make_campaign(30, 11, 2, seed=5), path)  # eleven criteria: far wider than a portrait page
    html = tmp_path / "wide.html"
    assert run_cli("summary", str(path), "--format", "html", "-o", str(html)).returncode == 0
    parser = MeritHeadings()
    parser.feed(html.read_text())
    headings = parser.headings
    assert headings[:4] == ["Rank", "Candidate", "Outcome", "Total"] and headings[-1] == "Flags" and len(headings) == 16
    pages = printed(html, tools)
    merit = [page for page in pages if "Rank" in page and "Outcome" in page and "Flags" in page]
    assert len(merit) >= 2, "thirty candidates take more than one page"
    for page in merit:  # the header repeats, and no column is cut off the page
        header = next(line for line in page.splitlines() if "Rank" in line and "Flags" in line)
        assert all(re.search(rf"(?<!\w){re.escape(heading)}(?!\w)", header) for heading in headings), header
    assert all("DRAFT" in page for page in pages), "a report made before finalising says so on every page"
    assert all("generated-30x11x2-5" in page and re.search(r"page \d+ of \d+", page) for page in pages)  # each page's footer

    finalised = run_cli("finalise", str(path), "--as", "P1", "--force", "--rationale", "Signed off for the test.")
    assert finalised.returncode == 0, finalised.stderr
    assert run_cli("summary", str(path), "--format", "html", "-o", str(html), "--force").returncode == 0
    pages = printed(html, tools)
    text = "\n".join(pages)
    assert "DRAFT" not in text
    assert "Signature" in text and "sealed by" in text.lower() and "Reserve list open until" in text


def test_a_long_archive_repeats_table_headers_keeps_headings_with_their_text_and_says_a_sign_off_was_forced(tmp_path: Path, tools: str) -> None:
    path = tmp_path / "long.toml"
    campaign = make_campaign(6, 30, 2, seed=5)
    role = campaign.campaign.role.model_copy(update={"summary": " ".join(["Leads digital delivery across the department."] * 60)})
    campaign = campaign.model_copy(update={"campaign": campaign.campaign.model_copy(update={"role": role})})
    save_campaign(campaign, path)  # a long role summary, then 30 criteria: the assessment matrix runs onto a second page
    rationale = "Two candidates withdrew before the interview; their sift scores stand as recorded."
    finalised = run_cli("finalise", str(path), "--as", "P1", "--force", "--rationale", rationale)
    assert finalised.returncode == 0, finalised.stderr
    open_items = sum(row["what"].startswith("open at finalising: ") for row in tomllib.loads(path.read_text())["audit"])
    assert open_items > 1  # the sift was never scored: a forced sign-off
    html = tmp_path / "long.html"
    assert run_cli("summary", str(path), "--format", "html", "-o", str(html)).returncode == 0
    tables = Tables()
    tables.feed(html.read_text())
    assert [kind for kind, headed in tables.tables if not headed] == ["signature"]  # a form to sign, never split: no header row
    pages = printed(html, tools)

    # The matrix's header row at the top of every page it runs over.
    matrix_row = re.compile(r"^\s*(Experience|Technical) \d+\s+(experience|technical)\s", re.MULTILINE)
    matrix_pages = [page for page in pages if matrix_row.search(page)]
    assert len(matrix_pages) >= 2, "the matrix runs over two pages"
    for page in matrix_pages:
        first = next(line for line in page.splitlines() if matrix_row.match(line) or "Criterion" in line)
        assert re.search(r"Criterion\s+Element\s+Sift\s+Interview\s+Pass mark\s+Weight", first), page[:400]

    # No heading is the last thing on a page: it goes over with what it heads.
    headings = {heading for heading in tables.headings if heading}
    for number, page in enumerate(pages, start=1):
        lines = [line.strip() for line in page.splitlines() if line.strip() and not re.search(r"page \d+ of \d+", line)]
        assert " ".join(lines[-1].split()) not in headings, f"page {number} ends with the heading {lines[-1]!r}"

    # The forced sign-off, its number of open items and the rationale, beside the signature.
    signed = next(page for page in pages if "Signature" in page and "Signed off" in page)
    block = " ".join(signed[signed.index("Signed off") :].split())
    assert f"{FORCED_WORDS} {open_items} items were still open when the chair signed off" in block
    assert f"Rationale {rationale}" in block
    assert block.index(FORCED_WORDS) < block.index("Signature") < block.index("Date")


def test_a_sign_off_with_nothing_open_says_nothing_of_open_items(clean: Path, tmp_path: Path) -> None:
    assert run_cli("finalise", str(clean), "--as", "P1").returncode == 0
    html = run_cli("summary", str(clean), "--format", "html").stdout
    assert "Signature" in html and FORCED_WORDS not in html and '<th scope="row">Rationale</th>' not in html


def test_after_a_purge_the_forced_sign_off_still_says_how_many_were_open_but_not_why(example: Path) -> None:
    finalise_long_ago(example, "okafor", "Closing; Daniel Osei withdrew.")
    assert run_cli("purge", str(example), "--as", "hr-records").returncode == 0
    html = run_cli("summary", str(example), "--format", "html").stdout
    block = html[html.index("<h2>Signed off</h2>") :]
    assert re.search(rf"<th scope=\"row\">{FORCED_WORDS}</th><td>\d+ items were still open when the chair signed off", block)
    assert '<th scope="row">Rationale</th><td><span class="evidence">[purged]</span></td>' in block and "Osei" not in block
