"""Text that came from input, made safe to print on a terminal.

A message may quote a token, a literal or a file name from a submitted document; raw control
characters in it (ESC sequences that retitle or clear the terminal, a carriage return that
overwrites the line, a line feed that forges a second line) are shown as escapes instead, so
what is printed is what the document says, never what it commands.

    >>> printable("bad \\x1b[2J name\\r")
    'bad \\\\x1b[2J name\\\\r'
"""

from __future__ import annotations

import re

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: str, keep: str = "") -> str:
    """``text`` with control characters (except those in ``keep``) written as escapes."""

    def escape(match: re.Match[str]) -> str:
        char = match.group()
        if char in keep:
            return char
        if char in _NAMED:
            return _NAMED[char]
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _CONTROL.sub(escape, text)
