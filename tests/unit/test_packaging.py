"""The package's metadata is the kind the newest setuptools reads without a warning."""

from __future__ import annotations

import re

import tomli

from tests.conftest import ROOT

PYPROJECT = tomli.loads((ROOT / "pyproject.toml").read_text())


def test_the_license_is_an_spdx_expression_with_its_file() -> None:
    # A table (`license = { text = ... }`) is deprecated by setuptools and stops building in 2027.
    project = PYPROJECT["project"]
    assert project["license"] == "MIT"
    assert project["license-files"] and all((ROOT / name).is_file() for name in project["license-files"])
    assert not any(classifier.startswith("License ::") for classifier in project.get("classifiers", []))


def test_the_build_asks_for_a_setuptools_that_reads_spdx_licenses() -> None:
    (requirement,) = [r for r in PYPROJECT["build-system"]["requires"] if r.startswith("setuptools")]
    found = re.fullmatch(r"setuptools>=(\d+)(?:\.\d+)*", requirement)
    assert found and int(found.group(1)) >= 77, requirement


def test_the_editable_install_is_a_plain_path_entry() -> None:
    # With the project folder as the package root, setuptools installs a path entry rather
    # than an import hook, and says nothing about it at every install.
    assert PYPROJECT["tool"]["setuptools"]["package-dir"] == {"": "."}
