"""The real ticket consumer behind a browser page's /ws/tickets/ socket. The live server speaks
plain HTTP, so Playwright takes the page's socket (route_web_socket) and this bridge hands each
one to the project's WebSocket routing (TicketConsumer, the in-memory channel layer) on an event
loop of its own thread. Playwright's objects belong to the test's thread: what the consumer
sends waits in a queue until the test pumps it (`until`)."""

from __future__ import annotations

import asyncio
import queue
import threading
import time
from collections.abc import Callable
from typing import Any

from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from nordesk.web.routing import websocket_urlpatterns


class ConsumerBridge:
    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.outbox: queue.Queue[tuple[Any, str | int]] = queue.Queue()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        # Publishes from the live server's thread (async_to_sync) reach the in-memory layer's
        # queues without waking this loop; a short tick lets it notice them.
        asyncio.run_coroutine_threadsafe(self._tick(), self.loop)

    def _run(self) -> None:
        # Closed in its own thread: the Redis layer flushes on close by running this loop,
        # which it cannot do from the test's thread, where Playwright's loop is running.
        self.loop.run_forever()
        self.loop.close()

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(0.05)

    def attach(self, page: Any, user: Any) -> None:
        """Route this page's ticket sockets to the consumer, as `user`."""
        page.route_web_socket("**/ws/tickets/**", lambda route: self._open(route, user))

    def _open(self, route: Any, user: Any) -> None:
        path = route.url.split("://", 1)[1].split("/", 1)[1]
        communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), "/" + path)
        communicator.scope["user"] = user
        asyncio.run_coroutine_threadsafe(self._relay(route, communicator), self.loop)
        route.on_message(
            lambda text: asyncio.run_coroutine_threadsafe(
                communicator.send_to(text_data=text), self.loop
            )
        )
        route.on_close(
            lambda code, reason: asyncio.run_coroutine_threadsafe(
                communicator.disconnect(), self.loop
            )
        )

    async def _relay(self, route: Any, communicator: WebsocketCommunicator) -> None:
        await communicator.connect()
        while True:
            output = await communicator.receive_output(timeout=3600)
            if output["type"] == "websocket.send":
                self.outbox.put((route, output["text"]))
            elif output["type"] == "websocket.close":
                self.outbox.put((route, output.get("code", 1000)))
                return

    def pump(self) -> None:
        while True:
            try:
                route, item = self.outbox.get_nowait()
            except queue.Empty:
                return
            if isinstance(item, str):
                route.send(item)
            else:
                route.close(code=item)

    def until(self, page: Any, check: Callable[[], None], timeout: float = 10) -> None:
        """Pump the consumer's messages to the pages until `check` (an assertion) holds."""
        deadline = time.monotonic() + timeout
        while True:
            self.pump()
            try:
                check()
                return
            except AssertionError:
                if time.monotonic() > deadline:
                    raise
            page.wait_for_timeout(50)

    def close(self) -> None:
        """Cancel the relays and wait for them to unwind before the loop stops, so no coroutine
        is left to be collected half-way (Python warns of it, under whichever test runs then)."""
        asyncio.run_coroutine_threadsafe(self._cancel_tasks(), self.loop).result(timeout=5)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)

    async def _cancel_tasks(self) -> None:
        others = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in others:
            task.cancel()
        await asyncio.gather(*others, return_exceptions=True)
