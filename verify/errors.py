"""One exception tree; the CLI (verify/cli/) turns each into a single stderr line and an exit code."""

# README's exit-code table and `verify --help`'s (tests/test_cli_ux.py checks both against these)
EXIT_OK = 0  # nothing to flag
EXIT_PROBLEMS = 1  # problems found at or above --fail-on
EXIT_USAGE = 2  # bad usage, configuration or unreadable input (every VerifyError but CacheError)
EXIT_CACHE = 3  # the cache database cannot be used (CacheError)
EXIT_INTERNAL = 4  # an internal error: a bug in verify (VERIFY_DEBUG=1 shows the traceback)
EXIT_INTERRUPTED = 130  # interrupted (Ctrl-C): 128 + SIGINT, as shells report it


class VerifyError(Exception):
    """A problem that stops the whole run."""

    exit_code = EXIT_USAGE


class UsageError(VerifyError):
    """Bad command-line options or configuration."""


class InputError(VerifyError):
    """An article or manifest that cannot be read."""


class CacheError(VerifyError):
    """The cache database cannot be opened or written."""

    exit_code = EXIT_CACHE
