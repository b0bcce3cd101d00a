"""The layer contracts (pyproject.toml, [tool.importlinter]) hold: core and extraction are pure,
views/API/CLI leave the audit log to the services, the permission policy sits below the apps."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).with_name("lint-imports")


def _lint(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(LINT), "--no-cache", *args], cwd=PROJECT, capture_output=True, text=True,
                          timeout=300, check=False)


def test_the_layer_contracts_are_kept() -> None:
    done = _lint()
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "4 kept, 0 broken" in done.stdout


def test_a_broken_layer_is_reported(tmp_path: Path) -> None:
    # The same kind of contract on a module that does use Django must fail: the check has teeth.
    config = tmp_path / "broken.toml"
    config.write_text(
        '[tool.importlinter]\nroot_package = "baocao"\ninclude_external_packages = true\n\n'
        '[[tool.importlinter.contracts]]\nname = "values without Django"\ntype = "forbidden"\n'
        'source_modules = ["baocao.datavalues.services"]\nforbidden_modules = ["django"]\n',
        encoding="utf-8",
    )
    done = _lint("--config", str(config))
    assert done.returncode == 1 and "BROKEN" in done.stdout and "baocao.datavalues.services -> django" in done.stdout
