"""The attack files of ``tests/hostile/``: reading their headers and expanding their payloads.

One file is one attack. Lines at the top that start with ``#!`` are its header (removed before
anything is sent); the rest is the payload, with these macros expanded:

    ⟪N×TEXT⟫     TEXT repeated N times (TEXT holds no ⟫; other macros inside it are expanded)
    ⟪U+XXXX⟫     the character U+XXXX (⟪CR⟫ ⟪LF⟫ ⟪TAB⟫ ⟪FF⟫ ⟪ESC⟫ are short for the usual ones)
    ⟪0xHH⟫       the raw byte HH (e.g. invalid UTF-8); not inside a repetition
    ⟪LISTENER⟫   host:port of the test's TCP listener, which nothing may ever reach
    ⟪TOKEN⟫      the update token of the server that takes updates
    ⟪EOF⟫        the payload ends here (no final line feed)

Header keys (``#! key: value``):

    about:   what the attack is (shown on failure)
    http:    STATUS [CODE] expected from the server (CODE: the "error" field of the answer)
    cli:     EXIT [TEXT] expected from the command line (TEXT must appear in its output)
    server:  readonly (default) or writable (started with --enable-update and a token)
    accept:  the Accept header to send
    absent:  text that must not appear in the answer's body
    header:  a response header that must be present
    commands: the CLI commands to run for an RDF file: validate (default), serve

How the payload is sent follows the file's extension: RDF files (.ttl .trig .nt .nq .jsonld
.rdf) go to ``POST /validate`` and ``icpc-kg validate``; .rq to ``POST /sparql`` as
application/sparql-query and ``icpc-kg query``; .ru to ``POST /sparql`` as
application/sparql-update with the token; .http is a raw HTTP request (line feeds in its head
become CRLF); .html goes to ``icpc-kg extract``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

HOSTILE = Path(__file__).resolve().parents[1] / "hostile"
RDF_MEDIA = {
    ".ttl": "text/turtle",
    ".trig": "application/trig",
    ".nt": "application/n-triples",
    ".nq": "application/n-quads",
    ".jsonld": "application/ld+json",
    ".rdf": "application/rdf+xml",
}
NAMED_CHARS = {"CR": "\r", "LF": "\n", "TAB": "\t", "FF": "\f", "ESC": "\x1b"}
_CHAR = re.compile(r"⟪(?:U\+([0-9A-Fa-f]{4,6})|(CR|LF|TAB|FF|ESC))⟫")
_REPEAT = re.compile(r"⟪(\d+)×([^⟫]*)⟫")
_BYTE = re.compile("⟪0x([0-9A-Fa-f]{2})⟫".encode())


@dataclass(frozen=True)
class Expected:
    status: int
    code: str | None = None


@dataclass
class Attack:
    path: Path
    header: dict[str, list[str]] = field(default_factory=dict)
    template: str = ""

    @property
    def name(self) -> str:
        return str(self.path.relative_to(HOSTILE))

    @property
    def kind(self) -> str:
        return self.path.suffix

    def first(self, key: str, default: str = "") -> str:
        return self.header.get(key, [default])[0]

    @property
    def http(self) -> Expected | None:
        value = self.first("http")
        if not value:
            return None
        status, _, code = value.partition(" ")
        return Expected(int(status), code.strip() or None)

    @property
    def cli(self) -> tuple[int, str] | None:
        value = self.first("cli")
        if not value:
            return None
        code, _, text = value.partition(" ")
        return int(code), text.strip()

    def payload(self, listener: str = "127.0.0.1:9", token: str = "") -> bytes:
        text = self.template.split("⟪EOF⟫", 1)[0]
        text = text.replace("⟪LISTENER⟫", listener).replace("⟪TOKEN⟫", token)
        text = _CHAR.sub(
            lambda m: chr(int(m.group(1), 16)) if m.group(1) else NAMED_CHARS[m.group(2)], text
        )
        text = _REPEAT.sub(lambda m: m.group(2) * int(m.group(1)), text)
        data = text.encode("utf-8")
        data = _BYTE.sub(lambda m: bytes([int(m.group(1), 16)]), data)
        if self.kind == ".http":
            head, blank, body = data.partition(b"\n\n")
            data = head.replace(b"\n", b"\r\n") + (b"\r\n\r\n" if blank else b"") + body
        return data


def read_attack(path: Path) -> Attack:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header: dict[str, list[str]] = {}
    index = 0
    while index < len(lines) and lines[index].startswith("#!"):
        key, _, value = lines[index][2:].partition(":")
        header.setdefault(key.strip(), []).append(value.strip())
        index += 1
    return Attack(path, header, "".join(lines[index:]))


def attacks(*suffixes: str) -> list[Attack]:
    """Every attack file whose extension is one of ``suffixes``, in name order."""
    found = [p for p in sorted(HOSTILE.rglob("*")) if p.is_file() and p.suffix in suffixes]
    return [read_attack(p) for p in found]
