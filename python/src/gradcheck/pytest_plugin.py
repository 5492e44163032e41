"""gradcheck's pytest plugin: the ``gradcheck`` fixture.

Registered by the wheel's ``pytest11`` entry point (or ``-p gradcheck.pytest_plugin``). Each check is
one run of the gradcheck command on your live objects; a failure is an ``AssertionError`` whose
message is gradcheck's report (the entry, both values, the shrunk case, the diagnosis) and the pytest
line that replays it. ``-k``, ``-x``, ``--junitxml`` and parametrisation work as for any test.

    import torch
    from torch import nn

    def test_my_tanh(gradcheck):
        gradcheck.check_function(MyTanh, inputs={"x": ["N"]}, dims={"N": (1, 6)})

    def test_my_net(gradcheck):
        gradcheck.check_network(nn.Sequential(nn.Linear(3, 4), nn.Sigmoid(), nn.Linear(4, 2)))

    def test_any_module(gradcheck):
        gradcheck.check_module_gradients(MyConvNet(), inputs={"x": [2, 1, 6, 6]})

    def test_numpy_backprop(gradcheck):
        gradcheck.check_network(gradients=my_gradients, loss=my_loss, conventions={"weightLayout": "in-out"})

Options: ``--gradcheck-runs N``, ``--gradcheck-seed S`` and ``--gradcheck-path P`` (replay),
``--gradcheck-cli CMD`` (else ``GRADCHECK_CLI``, ``gradcheck`` on PATH, ``node_modules/.bin`` above
the rootdir). Each ``check_*`` also takes ``runs``, ``seed``, ``path``, ``mode``, ``strategy``,
``rtol``, ``atol``, ``timeout`` (ms per worker request) and ``flags`` (more ``gradcheck check`` flags),
and returns the :class:`gradcheck.runner.CheckRun` of a passing check.
"""

from __future__ import annotations

import re
import shlex
from typing import IO, Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

import pytest

from .runner import CheckRun, CliNotFound, find_cli, run_check
from .worker import Function, run_function_worker, run_worker

__all__ = ["GradcheckFixture", "GradcheckError"]


class GradcheckError(Exception):
    """gradcheck could not run the check (a usage or worker error, exit 2): not a verdict on the gradients."""


def pytest_addoption(parser: Any) -> None:
    group = parser.getgroup("gradcheck", "gradcheck (finite-difference checks of backward passes)")
    group.addoption("--gradcheck-runs", type=int, default=None, help="random cases per check (default: the check's runs=, else GRADCHECK_RUNS, else 100)")
    group.addoption("--gradcheck-seed", default=None, help="fast-check seed of every check, to replay a failure (default: random, printed)")
    group.addoption("--gradcheck-path", default=None, help="fast-check path of the counterexample to replay, with --gradcheck-seed")
    group.addoption("--gradcheck-cli", default=None, help="the gradcheck command (default: GRADCHECK_CLI, gradcheck on PATH, node_modules/.bin above the rootdir)")


_OPTIONS = ("runs", "seed", "path", "mode", "strategy", "rtol", "atol", "timeout", "flags")


class GradcheckFixture:
    """What the ``gradcheck`` fixture gives a test: ``check_function``, ``check_network``, ``check_module_gradients``."""

    def __init__(self, request: Any) -> None:
        self._request = request
        config = request.config
        self._runs = config.getoption("--gradcheck-runs")
        self._seed = config.getoption("--gradcheck-seed")
        self._path = config.getoption("--gradcheck-path")
        self._cli_option = config.getoption("--gradcheck-cli")
        self._rootdir = str(config.rootpath) if hasattr(config, "rootpath") else str(config.rootdir)

    # -- the checks ---------------------------------------------------------------------------

    def check_function(self, fn: Any, inputs: Optional[Mapping[str, Any]] = None, dims: Optional[Mapping[str, Tuple[int, int]]] = None,
                       name: Optional[str] = None, outputs: Optional[Sequence[str]] = None, kinks: Optional[Sequence[float]] = None, **options: Any) -> CheckRun:
        """A ``torch.autograd.Function`` (backward against finite differences of forward, and its jvp
        when it defines one), a function of torch tensors, or a ``gradcheck.Function`` (NumPy)."""
        __tracebackhide__ = True
        if isinstance(fn, Function):
            entry = fn
        else:
            if inputs is None:
                raise TypeError("check_function: inputs= names the function's arguments in order, with their shapes, such as {'x': ['N']}")
            from .torch import function_entry

            entry = function_entry(fn, inputs, dims=dims, name=name, outputs=outputs, kinks=kinks)
        return self._run(entry.name, lambda i, o: run_function_worker(entry.name, [entry], stdin=i, stdout=o), options, json_result=False)

    def check_network(self, module: Any = None, *, gradients: Optional[Callable[..., Any]] = None, loss: Optional[Callable[..., Any]] = None,
                      conventions: Optional[Mapping[str, Any]] = None, supports: Optional[Mapping[str, Any]] = None,
                      activations: Optional[Sequence[str]] = None, name: Optional[str] = None, **options: Any) -> CheckRun:
        """An ``nn.Module`` of ``nn.Linear`` layers with sigmoid/ReLU/identity (an instance, or a class
        made without arguments) against the reference engine, or NumPy ``gradients(case)``/``loss(case)``."""
        __tracebackhide__ = True
        if module is not None:
            if gradients is not None or loss is not None:
                raise TypeError("check_network: give a module, or gradients= (and loss=), not both")
            from .torch import module_network

            net = module_network(module, activations=activations, name=name)
            conventions, supports = {**net.conventions(), **(conventions or {})}, {**net.supports(), **(supports or {})}
            label, gradients, loss = net.name, net.gradients, net.loss
        elif gradients is None:
            raise TypeError("check_network: give an nn.Module, or gradients=(case -> dict) as run_worker takes it")
        else:
            label = name or getattr(gradients, "__name__", "network")

        def serve(source: IO[str], sink: IO[str]) -> None:
            run_worker(label, gradients=gradients, loss=loss, conventions=conventions, supports=supports, stdin=source, stdout=sink)

        return self._run(label, serve, options, json_result=True)

    def check_module_gradients(self, module: Any, inputs: Mapping[str, Any], dims: Optional[Mapping[str, Tuple[int, int]]] = None,
                               name: Optional[str] = None, outputs: Optional[Sequence[str]] = None, **options: Any) -> CheckRun:
        """Any module's parameter (and input) gradients against finite differences of its own forward pass."""
        __tracebackhide__ = True
        from .torch import module_entry

        entry = module_entry(module, inputs, dims=dims, name=name, outputs=outputs)
        return self.check_function(entry, **options)

    # -- running ------------------------------------------------------------------------------

    def _cli(self) -> List[str]:
        if self._cli_option:
            return shlex.split(self._cli_option)
        return find_cli([self._rootdir, str(self._request.config.invocation_params.dir)])

    def _flags(self, options: Dict[str, Any]) -> List[str]:
        unknown = sorted(set(options) - set(_OPTIONS))
        if unknown:
            raise TypeError(f"gradcheck: unknown option(s) {unknown}; expected some of {list(_OPTIONS)}")
        runs = self._runs if self._runs is not None else options.get("runs")
        seed = self._seed if self._seed is not None else options.get("seed")
        path = self._path if self._path is not None else options.get("path")
        flags: List[str] = []
        for flag, value in (("--runs", runs), ("--seed", seed), ("--path", path), ("--mode", options.get("mode")),
                            ("--strategy", options.get("strategy")), ("--rtol", options.get("rtol")),
                            ("--atol", options.get("atol")), ("--timeout", options.get("timeout"))):
            if value is not None:
                flags += [flag, str(value)]
        return flags + [str(f) for f in options.get("flags", ())]

    def _run(self, label: str, serve: Callable[[IO[str], IO[str]], None], options: Dict[str, Any], json_result: bool) -> CheckRun:
        __tracebackhide__ = True
        try:
            cli = self._cli()
        except CliNotFound as missing:
            raise GradcheckError(str(missing)) from None
        run = run_check(serve, self._flags(options), cli=cli, json_result=json_result, cwd=self._rootdir)
        if run.worker_error is not None and run.exit_code != 0:
            raise GradcheckError(f"gradcheck: the worker for {label} failed: {run.worker_error!r}\n{run.stderr.strip()}") from run.worker_error
        if run.exit_code == 0:
            return run
        if run.exit_code in (1, 3):
            raise AssertionError(self._message(label, run))
        raise GradcheckError(f"gradcheck could not check {label} (exit {run.exit_code}):\n{run.stderr.strip() or run.stdout.strip()}")

    def _message(self, label: str, run: CheckRun) -> str:
        """gradcheck's report, its replay line given as the pytest command that replays it."""
        verdict = "inconclusive (no case could be settled)" if run.exit_code == 3 else "gradients wrong"
        # Its first line names the relay (python -m gradcheck.relay …) and its replay line the CLI's command:
        # neither runs outside this pytest session, whose own replay line ends the message instead.
        lines = [line for line in run.stdout.rstrip().splitlines() if not line.startswith(("replay: ", "gradcheck check: "))]
        replay = f"pytest {shlex.quote(self._request.node.nodeid)}"
        if run.replay.get("seed"):
            replay += f" --gradcheck-seed {run.replay['seed']}"
        if run.replay.get("path"):
            replay += f" --gradcheck-path {run.replay['path']}"
        report = "\n".join(lines).strip("\n")
        report = re.sub(r"\n{3,}", "\n\n", report)  # the CLI separates checks by blank lines; one is enough here
        return f"gradcheck: {label}: {verdict}\n{report}\n\nreplay: {replay}"


@pytest.fixture
def gradcheck(request: Any) -> GradcheckFixture:
    """Check backward passes by finite differences: ``gradcheck.check_function(MyFn, inputs={...})``,
    ``gradcheck.check_network(module)``, ``gradcheck.check_module_gradients(module, inputs={...})``."""
    return GradcheckFixture(request)
