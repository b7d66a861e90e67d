"""The web application ``leadwire serve`` runs: webhooks and a health check.

Each configured channel answers under ``/webhooks/<name>`` and any path below
it (a provider's verification URL, a website widget's assets). The answer is
given as soon as intake has stored the events; processing follows in the
engine's workers.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from leadwire.engine.engine import Engine
from leadwire.models import WebhookRequest

__all__ = ["create_app"]

#: Bodies larger than this are refused before they are read whole.
MAX_BODY = 1024 * 1024


def create_app(engine: Engine, *, manage: bool = True) -> Starlette:
    """The Starlette application serving *engine*.

    :param manage: Start the engine and its workers when the application
        starts and close it when it stops (``leadwire serve``); tests that
        drive the engine themselves pass False.
    """

    async def webhook(request: Request) -> Response:
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > MAX_BODY:
            return Response("body too large", status_code=413)
        body = await request.body()
        if len(body) > MAX_BODY:
            return Response("body too large", status_code=413)

        answer = await engine.receive(
            request.path_params["channel"],
            WebhookRequest(
                method=request.method,
                path=request.path_params.get("rest", ""),
                query=dict(request.query_params),
                headers=dict(request.headers),
                body=body,
            ),
        )
        return Response(
            answer.body,
            status_code=answer.status,
            media_type=answer.content_type,
            headers=dict(answer.headers),
        )

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok", "channels": engine.channel_names})

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        purging: asyncio.Task[None] | None = None
        if manage:
            from leadwire.compliance.retention import purge_forever

            await engine.start()
            engine.start_workers()
            # Due erasures and retention periods, every hour while serving.
            purging = asyncio.create_task(purge_forever(engine))
        try:
            yield
        finally:
            if purging is not None:
                purging.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await purging
            if manage:
                await engine.close()

    methods = ["GET", "POST"]
    return Starlette(
        routes=[
            Route("/health", health, methods=["GET"]),
            Route("/webhooks/{channel}", webhook, methods=methods),
            Route("/webhooks/{channel}/{rest:path}", webhook, methods=methods),
        ],
        lifespan=lifespan,
    )
