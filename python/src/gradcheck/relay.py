"""The worker gradcheck starts for a check run from Python (gradcheck.runner): it connects to the
socket the checking process listens on and copies bytes both ways (its stdin to the socket, the
socket to its stdout) until either side ends, so the protocol is served by objects in that process.

    python -m gradcheck.relay unix /tmp/gradcheck-…/worker.sock     (or: tcp PORT, where AF_UNIX is missing)
"""

from __future__ import annotations

import os
import socket
import sys
import threading
from typing import List


def _upstream(connection: socket.socket) -> None:
    while True:
        data = os.read(0, 1 << 16)
        if not data:
            break
        connection.sendall(data)
    try:
        connection.shutdown(socket.SHUT_WR)
    except OSError:
        pass


def main(argv: List[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("unix", "tcp"):
        sys.stderr.write("usage: python -m gradcheck.relay unix PATH | tcp PORT\n")
        return 2
    if argv[0] == "unix":
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.connect(argv[1])
    else:
        connection = socket.create_connection(("127.0.0.1", int(argv[1])))
    threading.Thread(target=_upstream, args=(connection,), daemon=True).start()
    out = sys.stdout.buffer
    while True:
        data = connection.recv(1 << 16)
        if not data:
            break
        out.write(data)
        out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
