"""The project as a user installs it: a wheel in a fresh environment, run from elsewhere.

The wheel is built from the checkout and installed into a new virtual environment with
``--no-deps``; the dependencies come from the test run's own environment through a path
file (its packages only: the checkout's editable install is not among them), so nothing is
downloaded. ``civicmap`` then runs from a folder outside the checkout and must find its
profile, catalogs, sample and scripts in the wheel.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from geo.paths import CHECKOUT


def _run(command: list[str], cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``bin`` folder of a fresh environment with the project's wheel installed."""
    work = tmp_path_factory.mktemp("wheel")
    built = _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", str(CHECKOUT), "-w", str(work)],
        work,
    )
    assert built.returncode == 0, built.stderr
    wheel = next(work.glob("civicmap-*.whl"))
    env_dir = work / "env"
    venv.create(env_dir, with_pip=False)
    site = next((env_dir / "lib").glob("python3.*/site-packages"))
    (site / "test_run_packages.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    python = env_dir / "bin" / "python"
    install = _run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q",
         str(wheel)],
        work,
    )  # fmt: skip
    assert install.returncode == 0, install.stderr
    return env_dir / "bin"


def test_the_package_is_the_wheels_not_the_checkouts(installed: Path, tmp_path: Path) -> None:
    where = _run([str(installed / "python"), "-c", "import geo; print(geo.__file__)"], tmp_path)
    assert where.returncode == 0, where.stderr
    assert str(CHECKOUT) not in where.stdout and "site-packages" in where.stdout


def _sample(installed: Path, cwd: Path) -> str:
    code = "from geo.profile import load_profile; print(load_profile().sample_path())"
    found = _run([str(installed / "python"), "-c", code], cwd)
    assert found.returncode == 0, found.stderr
    return found.stdout.strip()


def test_check_runs_on_the_installed_sample_in_spanish(installed: Path, tmp_path: Path) -> None:
    sample = _sample(installed, tmp_path)
    assert "site-packages" in sample and Path(sample).is_file()
    checked = _run(
        [str(installed / "civicmap"), "check", sample, "--apn", "1201 I St", "--lang", "es",
         "--format", "csv", "--quiet"],
        tmp_path,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stderr
    assert "006-0612-005-0000" in checked.stdout and "cubierta" in checked.stdout.lower()


def test_publish_writes_a_whole_site_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    sample = _sample(installed, tmp_path)
    site = tmp_path / "site"
    published = _run(
        [str(installed / "civicmap"), "publish", sample, "--out", str(site), "--quiet"], tmp_path
    )
    assert published.returncode == 0, published.stderr
    assert (site / "index.html").is_file() and (site / "parcels.pmtiles").is_file()
    assert any(site.rglob("maplibre-gl.mjs")) and any(site.rglob("site.js"))
