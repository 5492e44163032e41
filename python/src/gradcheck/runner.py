"""Run the gradcheck command on a worker that lives in this Python process.

gradcheck (the Node CLI) starts its worker as a child process and talks to it over stdin/stdout. To
check objects that exist only here (a module built in a test, a lambda, a pytest parametrisation), the
child is a relay (gradcheck.relay): a few lines of Python that connect to a socket this process listens on and copy
bytes both ways, while a thread here serves the protocol with ``run_worker``/``run_function_worker``.
So the check is the CLI's own, judged and reported by it, on the user's live objects.

The command is found, in order: ``GRADCHECK_CLI`` (a command line, such as
``npx gradcheck`` or ``node /path/to/dist/cli.js``), ``gradcheck`` on ``PATH``, then
``node_modules/.bin/gradcheck`` in the given directories and each of their parents.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from typing import IO, Any, Callable, Dict, Iterable, List, Optional, Sequence

__all__ = ["CheckRun", "CliNotFound", "find_cli", "run_check", "INSTALL_HINT"]

INSTALL_HINT = (
    "install it in your project with `npm install --save-dev gradcheck` (Node >= 20.19), "
    "or set GRADCHECK_CLI to the command that runs it (such as `npx gradcheck`)"
)

class CliNotFound(RuntimeError):
    """The gradcheck command is not installed where this package looks for it."""


def find_cli(search_from: Iterable[str] = (), env: Optional[Dict[str, str]] = None) -> List[str]:
    """The gradcheck command line, as an argument list; raises CliNotFound saying how to install it."""
    env = dict(os.environ if env is None else env)
    if env.get("GRADCHECK_CLI", "").strip():
        return shlex.split(env["GRADCHECK_CLI"])
    on_path = shutil.which("gradcheck", path=env.get("PATH"))
    if on_path:
        return [on_path]
    looked: List[str] = []
    for start in search_from:
        directory = os.path.abspath(start)
        while True:
            candidate = os.path.join(directory, "node_modules", ".bin", "gradcheck")
            looked.append(candidate)
            if os.access(candidate, os.X_OK):
                return [candidate]
            parent = os.path.dirname(directory)
            if parent == directory:
                break
            directory = parent
    where = f"; looked for node_modules/.bin/gradcheck in {os.path.dirname(os.path.dirname(looked[0]))} and its parents" if looked else ""
    raise CliNotFound(f"gradcheck's Python package needs the gradcheck command (npm), which is not on PATH and GRADCHECK_CLI is not set{where}: {INSTALL_HINT}")


@dataclass
class CheckRun:
    """What one `gradcheck check` run gave: its exit code, output, and the --json result (networks)."""

    command: List[str]
    exit_code: int
    stdout: str
    stderr: str
    result: Optional[Dict[str, Any]] = None
    worker_error: Optional[BaseException] = None
    replay: Dict[str, str] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return self.exit_code == 0


def _listen() -> tuple:
    if hasattr(socket, "AF_UNIX"):
        directory = tempfile.mkdtemp(prefix="gradcheck-")
        path = os.path.join(directory, "worker.sock")
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(path)
        server.listen(1)
        return server, ["unix", path], directory
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    return server, ["tcp", str(server.getsockname()[1])], None


_REPLAY = re.compile(r"--seed (\S+)(?: --path (\S+))?")


def run_check(
    serve: Callable[[IO[str], IO[str]], None],
    flags: Sequence[str] = (),
    cli: Optional[Sequence[str]] = None,
    json_result: bool = True,
    cwd: Optional[str] = None,
    timeout: Optional[float] = None,
) -> CheckRun:
    """Runs ``gradcheck check FLAGS --json FILE -- <relay>`` with ``serve(stdin, stdout)`` as the worker."""
    command_line = list(cli) if cli is not None else find_cli([cwd or os.getcwd()])
    server, address, directory = _listen()
    failure: List[BaseException] = []

    def worker() -> None:
        try:
            connection, _ = server.accept()
        except OSError:
            return  # the check ended before starting its worker (a usage error): nothing to serve
        with connection, connection.makefile("r", encoding="utf-8", newline="\n") as source, connection.makefile("w", encoding="utf-8", newline="\n") as sink:
            try:
                serve(source, sink)
            except BaseException as error:  # noqa: BLE001 - reported with the check's outcome
                failure.append(error)

    thread = threading.Thread(target=worker, name="gradcheck-worker", daemon=True)
    thread.start()
    json_file = os.path.join(tempfile.mkdtemp(prefix="gradcheck-json-"), "result.json") if json_result else None
    args = [*command_line, "check", *flags, *(["--json", json_file] if json_file else []), "--", sys.executable, "-m", "gradcheck.relay", *address]
    # The relay imports this package from where this process has it (installed, or a checkout's sources).
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ, NO_COLOR="1", PYTHONPATH=os.pathsep.join([here, *filter(None, [os.environ.get("PYTHONPATH")])]))
    env.pop("FORCE_COLOR", None)
    try:
        done = subprocess.run(args, capture_output=True, text=True, cwd=cwd, env=env, timeout=timeout)
    finally:
        server.close()
        thread.join(timeout=10)
        if directory:
            shutil.rmtree(directory, ignore_errors=True)
    result = None
    if json_file and os.path.exists(json_file):
        with open(json_file, encoding="utf-8") as handle:
            result = json.load(handle)
        shutil.rmtree(os.path.dirname(json_file), ignore_errors=True)
    replay: Dict[str, str] = {}
    for line in done.stdout.splitlines():
        if line.startswith("replay: "):
            match = _REPLAY.search(line)
            if match:
                replay = {"seed": match.group(1), **({"path": match.group(2)} if match.group(2) else {})}
                break
    return CheckRun(args, done.returncode, done.stdout, done.stderr, result, failure[0] if failure else None, replay)
