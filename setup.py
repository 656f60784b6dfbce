"""Build step of the wheel; everything else about the package is in pyproject.toml.

A checkout keeps ``templates/`` and ``migrations/`` at the top of the repository, where the app
finds them (``coordination.app_folder``). A wheel installs only packages, so the build copies
both folders into the package, where the app looks first. The ``.mo`` catalogs are not
committed: the build compiles them from the ``.po`` files, so that the installed app speaks
Dutch and French without a separate ``pybabel compile``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
PACKAGE = "coordination"
#: Top-level folders of the checkout that the wheel carries inside the package.
APP_FOLDERS = ("templates", "migrations")
TRANSLATIONS = ROOT / PACKAGE / "translations"


class BuildPyWithAppFiles(build_py):
    """``build_py`` that also puts the templates, migrations and compiled catalogs in the wheel."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            # An editable install runs from the checkout: its own folders, and the catalogs
            # compiled there by `make translations-compile`.
            return
        package_dir = Path(self.build_lib, PACKAGE)
        for name in APP_FOLDERS:
            copy_folder(ROOT / name, package_dir / name)
        compile_catalogs(TRANSLATIONS, package_dir / "translations")


def copy_folder(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target``, replacing what an earlier build left there."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.py[cod]"))


def compile_catalogs(source: Path, target: Path) -> None:
    """Compile every ``<lang>/LC_MESSAGES/*.po`` under ``source`` to a ``.mo`` under ``target``.

    The same as ``pybabel compile``, which also refuses a catalog marked fuzzy: the build stops
    rather than ship a language that would silently show English.
    """
    # Babel is a build requirement (pyproject.toml), only needed when a wheel is built.
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_file in sorted(source.glob("*/LC_MESSAGES/*.po")):
        language = po_file.parent.parent.name
        with po_file.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        if catalog.fuzzy:
            raise SystemExit(f"{po_file} is marked fuzzy: translate it, then build again")
        mo_file = target / po_file.relative_to(source).with_suffix(".mo")
        mo_file.parent.mkdir(parents=True, exist_ok=True)
        with mo_file.open("wb") as handle:
            write_mo(handle, catalog)


setup(cmdclass={"build_py": BuildPyWithAppFiles})
