"""CORS for reads: every origin may read (``Access-Control-Allow-Origin: *``), with no
credentials, so browsers can query the endpoint and fetch IRIs and the JSON-LD context from
any page. Preflights allow GET/HEAD/POST with Accept, Accept-Language and Content-Type, and
nothing else (no Authorization: updates cannot be sent cross-origin from a browser).

A few lines of ASGI instead of Starlette's CORSMiddleware: the allowed origin is always
``*``, so a response does not depend on Origin (no ``Vary: Origin``) and a request without
an Origin header passes through untouched.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

ALLOW_METHODS = b"GET, HEAD, POST"
ALLOW_HEADERS = b"Accept, Accept-Language, Content-Type"
EXPOSE_HEADERS = b"ETag, Link, Content-Language, X-Result-Truncated, X-Result-Limit, X-Conforms"


class ReadCors:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        if b"origin" not in headers:
            await self.app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS" and b"access-control-request-method" in headers:
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [
                        (b"access-control-allow-origin", b"*"),
                        (b"access-control-allow-methods", ALLOW_METHODS),
                        (b"access-control-allow-headers", ALLOW_HEADERS),
                        (b"access-control-max-age", b"3600"),
                        (b"content-length", b"0"),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": b""})
            return

        async def with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    *message.get("headers", []),
                    (b"access-control-allow-origin", b"*"),
                    (b"access-control-expose-headers", EXPOSE_HEADERS),
                ]
            await send(message)

        await self.app(scope, receive, with_cors)
