"""What every request passes first (SPEC §11), in this order: the ``Host`` must be the
server's own (DNS rebinding: 400), a request that changes data must not come from another
origin (403), and a body may not pass 1,000,000 bytes, whatever its ``Content-Length`` says or
without one (413). Every answer carries the security headers: a content security policy that
names no other host, no framing, no MIME sniffing, no referrer.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import _messages as M

MAX_BODY = 1_000_000
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
CHANGES = {"POST", "PUT", "PATCH", "DELETE"}

_PAGES_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
              "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; "
              "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# Swagger UI (served from the installed fastapi-offline package) starts with an inline script.
_DOCS_CSP = _PAGES_CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
_DOCS = ("/docs",)


def allowed_hosts(host: str, port: int) -> set[str]:
    """The ``Host`` values this server answers to: ``host:port``, and ``localhost:port`` (with
    the other loopback spellings) when ``host`` is a loopback address."""
    name = f"[{host}]" if ":" in host and not host.startswith("[") else host
    hosts = {f"{name}:{port}".lower()}
    if host.lower() in LOOPBACK:
        hosts |= {f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"}
    if port == 80:
        hosts |= {h.rsplit(":", 1)[0] for h in list(hosts)}
    return hosts


def security_headers(path: str) -> list[tuple[bytes, bytes]]:
    csp = _DOCS_CSP if path.startswith(_DOCS) else _PAGES_CSP
    return [(b"content-security-policy", csp.encode()), (b"x-frame-options", b"DENY"),
            (b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
            (b"cross-origin-opener-policy", b"same-origin"), (b"cross-origin-resource-policy", b"same-origin")]


class Guard:
    """ASGI middleware: Host, Origin and body size checks, and the security headers."""

    def __init__(self, app: ASGIApp, hosts: Iterable[str], max_body: int = MAX_BODY) -> None:
        self.app = app
        self.hosts = {h.lower() for h in hosts}
        self.origins = {f"http://{h}" for h in self.hosts}
        self.max_body = max_body
        self._shown = ", ".join(sorted(self.hosts))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        extra = security_headers(path)
        headers = Headers(scope=scope)
        host = headers.get("host")
        if host is None:
            await _answer(send, 400, [M.NO_HOST.format(allowed=self._shown)], extra)
            return
        if host.lower() not in self.hosts:
            await _answer(send, 400, [M.BAD_HOST.format(allowed=self._shown, host=host)], extra)
            return
        origin = headers.get("origin")
        if scope["method"] in CHANGES and origin is not None and origin.lower() not in self.origins:
            own = ", ".join(sorted(self.origins))
            await _answer(send, 403, [M.BAD_ORIGIN.format(origin=origin, own=own)], extra)
            return
        length = headers.get("content-length")
        if length is not None and (not length.strip().isdigit() or int(length) > self.max_body):
            await _answer(send, 413, [M.TOO_LARGE.format(most=self.max_body)], extra)
            return
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away before its body was read
            body += message.get("body", b"")
            if len(body) > self.max_body:
                await _answer(send, 413, [M.TOO_LARGE.format(most=self.max_body)], extra)
                return
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                have = {k.lower() for k, _ in message.get("headers", [])}
                message = {**message, "headers": [*message.get("headers", []),
                                                  *(h for h in extra if h[0] not in have)]}
            await send(message)

        await self.app(scope, replay, send_with_headers)


async def _answer(send: Send, status: int, errors: list[str], extra: list[tuple[bytes, bytes]]) -> None:
    body = json.dumps({"errors": errors}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close"), *extra]})
    await send({"type": "http.response.body", "body": body})
