"""The command line on an interview-size file: whole process, start to exit."""

from __future__ import annotations

import subprocess

from tests.bench import measure
from tests.bench.measure import PYTHON

LIMIT = 0.25  # seconds, whole process

# The floor for any command built on pydantic: start Python, import it, validate one model.
PYDANTIC_FLOOR = "from pydantic import BaseModel\nclass Row(BaseModel):\n    id: str\nRow.model_validate({'id': 'C001'})"


def test_validate_and_summary_start_fast(bench_files, target) -> None:
    path = str(bench_files("interview").path)
    commands = {
        "floor": [PYTHON, "-c", "pass"],
        "pydantic": [PYTHON, "-c", PYDANTIC_FLOOR],
        "validate": [PYTHON, "-m", "assessor", "validate", path],
        "summary": [PYTHON, "-m", "assessor", "summary", path],
    }
    best = measure.best_processes(commands, repeat=7)
    floor = best["floor"]
    for order, name in ((2, "validate"), (3, "summary")):
        ok = best[name] <= LIMIT
        measure.record(
            order,
            f"`assessor {name}`, interview file (20×6×3), whole process",
            measure.seconds(best[name]),
            f"`python -c pass` {measure.seconds(floor)}",
            measure.times(best[name] / floor),
            f"≤ {LIMIT} s",
            ok,
        )
        measure.record_own_floor(
            order + 0.5,
            f"`assessor {name}` against its own floor: Python importing pydantic and validating one model",
            measure.seconds(best[name]),
            f"pydantic {measure.seconds(best['pydantic'])}",
            best[name] / best["pydantic"],
        )
        target(ok, f"assessor {name} took {best[name]:.3f} s")


BIG_TEXT_MARGIN = 0.5  # seconds over validate


def test_the_text_summary_of_a_big_file_costs_little_over_reading_it(bench_files, target) -> None:
    path = str(bench_files("stress").path)
    commands = {
        "validate": [PYTHON, "-m", "assessor", "validate", path],
        "summary": [PYTHON, "-m", "assessor", "summary", path],
    }
    best = measure.best_processes(commands, repeat=3)
    extra = best["summary"] - best["validate"]
    ok = extra <= BIG_TEXT_MARGIN
    measure.record(
        3.8,
        "`assessor summary` (text) of the stress file (5,000×6×3, 49 MB), whole process",
        measure.seconds(best["summary"]),
        f"`assessor validate` {measure.seconds(best['validate'])}",
        measure.times(best["summary"] / best["validate"]),
        f"≤ validate + {BIG_TEXT_MARGIN} s",
        ok,
    )
    target(ok, f"the text summary took {extra:.2f} s more than validate")


def test_commands_never_import_textual(bench_files) -> None:
    path = str(bench_files("interview").path)
    for command in ("validate", "summary"):
        result = subprocess.run([PYTHON, "-X", "importtime", "-m", "assessor", command, path], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if "|" in line}
        assert not any(name == "textual" or name.startswith("textual.") for name in imported)
