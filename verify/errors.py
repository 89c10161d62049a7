"""One exception tree; cli.py turns each into a single stderr line and an exit code."""

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2  # README's exit-code table; 3 is CacheError's


class VerifyError(Exception):
    """A problem that stops the whole run."""

    exit_code = 2


class UsageError(VerifyError):
    """Bad command-line options or configuration."""


class InputError(VerifyError):
    """An article or manifest that cannot be read."""


class CacheError(VerifyError):
    """The cache database cannot be opened or written."""

    exit_code = 3
