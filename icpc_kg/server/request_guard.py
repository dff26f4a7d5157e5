"""One ASGI middleware for what every request and every page needs, whatever the route:

- a path whose percent-escapes are not UTF-8 (``/id/org/%FF``) is a 400 with the error shape,
  not a lookup of a mangled name (the server decodes escapes with replacement characters);
- every HTML page carries a Content-Security-Policy that allows scripts, styles and images
  from this site only and no inline script (the pages' only script is the query page's
  static file; their JSON-LD blocks are data, which the policy does not concern), plus
  ``X-Content-Type-Options: nosniff``.
"""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from icpc_kg.server.web_errors import error_response

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def _path_is_utf8(scope: Scope) -> bool:
    raw = scope.get("raw_path") or scope.get("path", "").encode("utf-8")
    try:
        unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


class RequestGuard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if not _path_is_utf8(scope):
            response = error_response(
                Request(scope),
                400,
                "BAD_INPUT",
                "the path is not valid UTF-8 once its %-escapes are decoded; "
                "percent-encode UTF-8 text",
            )
            await response(scope, receive, send)
            return

        async def with_policy(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = message.get("headers", [])
                content_type = next((v for k, v in headers if k == b"content-type"), b"")
                if content_type.startswith(b"text/html"):
                    message["headers"] = [
                        *headers,
                        (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
                        (b"x-content-type-options", b"nosniff"),
                    ]
            await send(message)

        await self.app(scope, receive, with_policy)
