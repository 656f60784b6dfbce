"""The security step of ``make test``: static code scanning and the dependency audit.

- bandit over ``coordination/``: no high-severity finding, and no file it could not read;
- pip-audit over the pinned dependencies (``requirements/constraints.txt``): no known
  vulnerability. This machine cannot always reach the vulnerability database (no internet
  beyond the package registries); pip-audit then skips the packages, and this step says so
  loudly in its summary instead of presenting "no known vulnerabilities" as a pass.

Exit code 1 when a check fails; 0 otherwise (with a NOTE line for what could not be checked).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def bandit_findings() -> list[str]:
    """High-severity findings and unreadable files, one line each."""
    result = subprocess.run(
        [sys.executable, "-m", "bandit", "-q", "-r", "coordination", "-f", "json"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        return [f"bandit did not run: {result.stderr.strip()[-500:]}"]
    findings = [
        f"{issue['filename']}:{issue['line_number']} {issue['test_id']} {issue['issue_text']}"
        for issue in report["results"]
        if issue["issue_severity"] == "HIGH"
    ]
    findings += [f"bandit could not scan {error['filename']}: {error['reason']}"
                 for error in report["errors"]]  # fmt: skip
    return findings


def dependency_audit() -> tuple[list[str], list[str]]:
    """(vulnerable dependencies, notes about what could not be audited)."""
    result = subprocess.run(
        [sys.executable, "-m", "pip_audit", "--progress-spinner", "off", "--format", "json",
         "-r", "requirements/constraints.txt"],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        last_line = (result.stderr.strip().splitlines() or ["no output"])[-1]
        return [], [
            "pip-audit could not run (vulnerability database unreachable?): dependency audit "
            f"NOT performed. {last_line}"
        ]
    dependencies = report.get("dependencies", [])
    audited = [d for d in dependencies if "skip_reason" not in d]
    vulnerable = [
        f"{d['name']} {d['version']}: {', '.join(v['id'] for v in d['vulns'])}"
        for d in audited
        if d.get("vulns")
    ]
    notes = []
    if len(audited) < len(dependencies):
        notes.append(
            f"pip-audit could audit {len(audited)} of {len(dependencies)} dependencies (the "
            "vulnerability database is unreachable from this machine): dependency audit NOT "
            "fully performed."
        )
    return vulnerable, notes


def main() -> int:
    failures = bandit_findings()
    vulnerable, notes = dependency_audit()
    failures += [f"vulnerable dependency: {line}" for line in vulnerable]
    for line in failures:
        print(f"FAIL: {line}")
    for note in notes:
        print(f"NOTE: {note}")
    if not failures:
        dependencies = (
            "dependency audit incomplete (see NOTE)" if notes else "no known vulnerability"
        )
        print(f"security audit: bandit found no high-severity issue; {dependencies}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
