"""The HTML archive printed to PDF by headless Chromium, read back with pdftotext: every
column of the merit list on the page, its header repeated on every page, and DRAFT on every
page until the campaign is final (then the seal and the signature block instead)."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from assessor.storage.campaign_file import save_campaign
from tests.cli.test_serve import CHROMIUM_FLAGS, find_chromium
from tests.conftest import run_cli
from tests.generate import make_campaign

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
