"""A throw-away SMTP server for deploy/smoke.sh: keeps each message it receives as a file.

python smtp_sink.py DIR    prints its port, then stores DIR/<n>.eml until killed
"""

from __future__ import annotations

import socket
import sys
import threading
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


def main() -> None:
    folder = Path(sys.argv[1])
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Keep(folder), hostname="127.0.0.1", port=port)
    controller.start()
    print(port, flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
