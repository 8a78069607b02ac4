"""A round-robin TCP proxy for bench/multinode.py: the load balancer in front of the web nodes.

    python bench/rrproxy.py PORT BACKEND_PORT [BACKEND_PORT ...]

Listens on 127.0.0.1:PORT (0: a free one); prints the port it listens on, then passes each
client connection to the next backend (127.0.0.1:BACKEND_PORT) in turn. A backend that
refuses the connection is skipped for the next one, as a load balancer's failed health check
would take it out: a dead node costs only the requests that were in flight on it (their
connections drop). Keep-alive connections stay on the backend they were given, like an
L4 balancer's; the clients reconnect after a failure, and the next backend takes them.
"""

from __future__ import annotations

import asyncio
import itertools
import sys


async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        writer.close()


async def main(port: int, backends: list[int]) -> None:
    turn = itertools.cycle(range(len(backends)))

    async def handle(client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        first = next(turn)
        for i in range(len(backends)):
            backend = backends[(first + i) % len(backends)]
            try:
                node_r, node_w = await asyncio.open_connection("127.0.0.1", backend)
                break
            except OSError:
                continue
        else:  # every node refused: the client sees its connection closed
            client_w.close()
            return
        await asyncio.gather(pipe(client_r, node_w), pipe(node_r, client_w))

    listener = await asyncio.start_server(handle, "127.0.0.1", port, backlog=512)
    print(listener.sockets[0].getsockname()[1], flush=True)
    async with listener:
        await listener.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), [int(p) for p in sys.argv[2:]]))
