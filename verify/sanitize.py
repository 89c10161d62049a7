"""Text from articles, pages and file names, made safe to print on a terminal or in a CI log.

Control characters (C0 except tab and newline, DEL, C1), and so every escape sequence (CSI
`ESC[2J`, OSC `ESC]0;title`, OSC 8 hyperlinks, OSC 52 clipboard writes), and the Unicode
bidirectional controls (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C) are shown as
visible escapes such as `\\x1b` or `\\u202e` instead of being emitted. Used by the terminal
report, the GitHub annotations and every `verify: error:` line, whose credentials (the password
of a `scheme://user:password@host` URL, `password=` and similar parameters) are hidden as well.
"""

from __future__ import annotations

import re

BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# line separators, and lone surrogates (the undecodable bytes of a file name)
_OTHER = BIDI_CONTROLS + "\\u2028\\u2029\\ud800-\\udfff"
_UNSAFE = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{_OTHER}]")
_UNSAFE_ONE_LINE = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f{_OTHER}]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe_text(text: str, *, one_line: bool = False) -> str:
    """`text` with control and bidi characters replaced by visible escapes.

    Tabs and newlines are kept, unless `one_line`, when they are escaped too.
    """
    return (_UNSAFE_ONE_LINE if one_line else _UNSAFE).sub(_visible, text)


# the password of a URL's userinfo, up to the last `@` of the word (an unescaped `@` in a password)
_URL_PASSWORD = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*://[^\s:/?#@]*):\S*@")
# `password=...` in a query string or a libpq keyword string, and its relatives
_SECRET_PARAMETER = re.compile(
    r"(?i)\b(password|passwd|pwd|sslpassword|sslkey_password|secret|token|access_token|api_key|apikey)"
    r"(\s*=\s*)('[^']*'|\"[^\"]*\"|[^\s&;'\")]+?(?=[:,.]?(?:\s|$)|[&;'\")]))"
)  # a value ends at a separator, or before the `:` or `.` that ends a sentence


def hide_credentials(text: str) -> str:
    """`text` with every password it shows replaced by `***`: URL userinfo and `password=` parameters."""
    return _SECRET_PARAMETER.sub(r"\1\2***", _URL_PASSWORD.sub(r"\1:***@", text))


def error_text(message: str) -> str:
    """An error message as one printable line without credentials (what follows `verify: error:`)."""
    return safe_text(hide_credentials(message), one_line=True)
