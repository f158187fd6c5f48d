"""A letter printed through Chromium: A4 pages, DRAFT at the head of every page before the seal,
and the sign-off kept whole."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.cli.test_letters import campaign_text
from tests.cli.test_print import TIMEOUT, printed
from tests.cli.test_serve import find_chromium
from tests.conftest import run_cli


def test_a_long_letter_prints_on_a4_with_draft_on_every_page(tmp_path: Path) -> None:
    chromium = find_chromium()
    if chromium is None or shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None:
        pytest.skip("needs Chromium and poppler-utils (Debian: chromium, poppler-utils; `make test` installs them as root)")
    path = tmp_path / "hop-2027.toml"
    path.write_text(campaign_text("en"))
    feedback = "\n".join(f"Point {n}: a paragraph of the panel's feedback on how the evidence was structured and what it showed." for n in range(60))
    assert run_cli("feedback", str(path), "C01", "--as", "P1", "--write", feedback).returncode == 0
    html = tmp_path / "letter.html"
    html.write_text(run_cli("feedback", str(path), "C01", "--format", "html").stdout)
    pages = printed(html, chromium)
    assert len(pages) >= 2
    for page in pages:
        assert "DRAFT: the panel has not signed off yet" in " ".join(page.split())
    info = subprocess.run(["pdfinfo", str(html.with_suffix(".pdf"))], capture_output=True, text=True, timeout=TIMEOUT, check=True).stdout
    assert "(A4)" in info
    last = " ".join(pages[-1].split())
    assert "Yours sincerely," in last and "Amara Okafor" in last and "Chair of the selection panel" in last

    assert run_cli("finalise", str(path), "--as", "P1").returncode == 0
    html.write_text(run_cli("feedback", str(path), "C01", "--format", "html").stdout)
    assert not any("DRAFT" in page for page in printed(html, chromium))
