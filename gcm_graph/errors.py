"""Errors with the exit codes the CLI returns: 1 validation failure, 2 bad input."""

from __future__ import annotations

from pathlib import Path


class GcmError(Exception):
    """Base class: a failure the CLI reports in one readable message."""

    exit_code = 2


class SourceError(GcmError):
    """A source document is not what the parser expects: says which file, which line, what."""

    def __init__(self, path: Path | str, line: int, expected: str, found: str | None = None):
        self.path = Path(path)
        self.line = line
        self.expected = expected
        self.found = found
        message = f"{self.path.name}:{line}: expected {expected}"
        if found is not None:
            shown = found if len(found) <= 80 else found[:77] + "..."
            message += f", found {shown!r}"
        super().__init__(message)


class ValidationFailure(GcmError):
    """The graph does not conform to the SHACL shapes."""

    exit_code = 1

    def __init__(self, report_text: str, violations: int):
        self.report_text = report_text
        self.violations = violations
        super().__init__(f"SHACL validation failed with {violations} violation(s)")
