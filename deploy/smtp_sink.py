"""A throw-away SMTP server: keeps each message it receives as a file, or only its Message-ID.

python smtp_sink.py DIR           prints its port, then stores DIR/<n>.eml until killed
python smtp_sink.py DIR --ids     prints its port, then appends each message's Message-ID
                                  to DIR/message-ids.txt, one a line (bench/multinode.py)

Used by deploy/smoke.sh and bench/multinode.py.
"""

from __future__ import annotations

import socket
import sys
import threading
from email.parser import BytesHeaderParser
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller


class Keep:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.count += 1
        (self.folder / f"{self.count}.eml").write_bytes(envelope.original_content)
        return "250 OK"


class CountIds:
    """Thousands of messages: only what tells copies apart, flushed at once so a reader sees it."""

    def __init__(self, folder: Path) -> None:
        self.out = (folder / "message-ids.txt").open("a", encoding="utf-8", buffering=1)
        self.parser = BytesHeaderParser()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        headers = self.parser.parsebytes(envelope.original_content)
        self.out.write(f"{headers.get('Message-ID', '').strip()}\n")
        return "250 OK"


def main() -> None:
    folder = Path(sys.argv[1])
    handler = CountIds(folder) if "--ids" in sys.argv[2:] else Keep(folder)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    print(port, flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
