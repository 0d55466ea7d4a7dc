"""The import contracts catch a lower layer reaching up: shown on a copy of the code with such imports."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
LINT = [
    sys.executable,
    "-c",
    "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())",
]


@pytest.fixture
def copy_of_the_code(tmp_path):
    shutil.copytree(ROOT / "helpline", tmp_path / "helpline", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def lint(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(LINT + ["--no-cache"], cwd=tree, capture_output=True, text=True, timeout=120)  # noqa: S603


def test_the_code_keeps_its_layers(copy_of_the_code):
    result = lint(copy_of_the_code)
    assert result.returncode == 0, result.stdout


LEAKS = {
    "helpline/core/leak.py": "helpline.tickets.models",  # core knows no domain
    "helpline/mail/leak.py": "helpline.people.models",  # the outbox sits below the people
    "helpline/people/leak.py": "helpline.routing.models",  # people below the decision modules
    "helpline/routing/leak.py": "helpline.tickets.actions",  # decisions never change tickets
    "helpline/tickets/leak.py": "helpline.staff.views",  # the domain never calls a door
    "helpline/portal/leak.py": "helpline.staff.forms",  # doors are independent of each other
}


def test_a_lower_layer_importing_a_higher_one_breaks_the_contract(copy_of_the_code):
    for module, reaching_for in LEAKS.items():
        (copy_of_the_code / module).write_text(f"import {reaching_for}  # noqa\n")
    result = lint(copy_of_the_code)
    assert result.returncode == 1
    for module, reaching_for in LEAKS.items():
        leak = module.removesuffix(".py").replace("/", ".")
        assert f"{leak} -> {reaching_for}" in result.stdout, leak
