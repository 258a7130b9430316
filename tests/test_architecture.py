"""The apps' import rules (docs/architecture.md), checked with the suite.

The contracts live in pyproject.toml ([tool.importlinter]): the apps build on each
other one way (a layers contract) and no app's modules import each other in a
circle (acyclic siblings). Imports inside functions count as much as those at the top
of a module: grimp reads them all.
"""

from __future__ import annotations

import ast
import copy
import os
import tomllib
from pathlib import Path

import grimp
import pytest
from importlinter.configuration import configure
from importlinter.contracts.acyclic_siblings import AcyclicSiblingsContract
from importlinter.contracts.layers import LayersContract

ROOT = Path(__file__).resolve().parent.parent
configure()  # import-linter's own settings (timers, readers), as its command does
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
CONTRACT_TYPES = {"layers": LayersContract, "acyclic_siblings": AcyclicSiblingsContract}


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(*CONFIG["root_packages"], cache_dir=None)


def _contract(contract_id: str):
    options = next(c for c in CONFIG["contracts"] if c["id"] == contract_id)
    kind = CONTRACT_TYPES[options["type"]]
    return kind(
        name=options["name"],
        session_options={"root_packages": CONFIG["root_packages"]},
        contract_options={k: v for k, v in options.items() if k not in ("id", "name", "type")},
    )


def _broken(contract_id: str, graph: grimp.ImportGraph) -> str:
    check = _contract(contract_id).check(copy.deepcopy(graph), verbose=False)
    if check.kept:
        return ""
    return str(check.metadata)[:2000]


@pytest.mark.parametrize("contract_id", [c["id"] for c in CONFIG["contracts"]])
def test_the_code_keeps_the_import_contracts(contract_id, graph):
    assert _broken(contract_id, graph) == ""


def test_an_app_importing_an_app_above_it_breaks_the_layers(graph):
    # articles is below digests: the article page reaches digests through relations.
    bad = copy.deepcopy(graph)
    bad.add_import(
        importer="articles.views", imported="digests.models", line_number=1, line_contents=""
    )
    assert "articles.views" in _broken("apps-layers", bad)


def test_infrastructure_importing_an_app_breaks_the_layers(graph):
    bad = copy.deepcopy(graph)
    bad.add_import(
        importer="newsroom.cache", imported="articles.models", line_number=1, line_contents=""
    )
    assert _broken("apps-layers", bad)


def test_a_cycle_inside_an_app_breaks_the_acyclic_contract(graph):
    bad = copy.deepcopy(graph)
    # digests.extractive imports digests.scoring; the way back closes a circle.
    bad.add_import(
        importer="digests.scoring", imported="digests.extractive", line_number=1, line_contents=""
    )
    assert "scoring" in _broken("no-cycles", bad)


def test_every_app_is_in_the_contract():
    """A new app must be placed in the layers, or its imports go unchecked."""
    installed = [
        p.name
        for p in ROOT.iterdir()
        if (p / "apps.py").exists() or (p / "__init__.py").exists() and (p / "urls.py").exists()
    ]
    placed = set(CONFIG["root_packages"])
    assert sorted(set(installed) - placed) == [], os.linesep.join(installed)


def test_data_migrations_carry_their_own_data():
    """A migration that writes rows (RunPython) imports no live code of the apps: a
    later edit of that code would change what a fresh database gets."""
    apps = set(CONFIG["root_packages"]) - {"newsroom"}
    offenders = []
    for path in sorted(ROOT.glob("*/migrations/0*.py")):
        source = path.read_text()
        if "RunPython" not in source:
            continue
        for node in ast.walk(ast.parse(source)):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                top, _, rest = name.partition(".")
                if top in apps and not rest.startswith("migrations"):
                    offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []
