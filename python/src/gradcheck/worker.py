"""Turn NumPy loss and gradient functions into a gradcheck worker (``gradcheck.worker``).

Installed with the npm package's wheel (``pip install "$(npx gradcheck python-path)"``, offline);
NumPy is its only dependency.

    from gradcheck import run_worker

    def gradients(case):
        # case.weights[l], case.biases[l] (None without bias), case.activations[l],
        # case.inputs (batch x inputs), case.targets (batch x outputs), case.reduction
        ...
        return {"weights": [dW1, dW2], "biases": [db1, db2], "loss": L}  # "inputs": dL/dx optional

    def loss(case):
        return L

    run_worker("my-mlp", gradients=gradients, loss=loss,
               conventions={"weightLayout": "in-out", "returns": "gradient"},
               supports={"activations": ["sigmoid", "relu"], "bias": True})  # optional

then `gradcheck check python3 my_worker.py`.

By default gradcheck sends every architecture it generates (identity, sigmoid and ReLU layers, bias
on some layers and not others, width 1, …). `supports=` says what your code handles, in the names
of docs/protocol.md (activations, outputActivations, bias, minDepth, maxDepth, minWidth, maxWidth,
minInputs, maxInputs, minOutputs, maxOutputs, minBatch, maxBatch, reductions), and gradcheck then
generates only such cases. To decline one case anyway, raise `Unsupported("reason")` in
`gradients` or `loss`: it is counted and reported, neither an error nor a pass.

It speaks gradcheck's worker protocol 1 (docs/protocol.md): it prints the handshake (with this
package's version as ``helperVersion``, which gradcheck holds to its own), answers
`gradients` and `loss` requests case by case (an exception in your code becomes that case's error
message, the other cases are still answered), encodes NaN and +-Infinity as the strings "NaN",
"Infinity", "-Infinity", and exits on `shutdown` or when its input ends. While your functions run,
`print` goes to stderr: stdout carries protocol messages only.

Named functions (any custom layer) are served by `run_function_worker` instead:

    from gradcheck import Function, run_function_worker

    def softmax(z):                      # inputs as keyword arrays; returns an array or {name: array}
        e = np.exp(z - z.max(axis=-1, keepdims=True)); return e / e.sum(axis=-1, keepdims=True)

    def softmax_vjp(inputs, cotangent):  # dicts of arrays; returns {input: gradient}
        s = softmax(**inputs); y = cotangent["y"]
        return {"z": s * (y - (y * s).sum(axis=-1, keepdims=True))}

    run_function_worker("numpy-layers", [
        Function("softmax", softmax, vjp=softmax_vjp, inputs={"z": ["B", "C"]}, dims={"B": (1, 3), "C": (2, 5)}),
    ])

then `gradcheck check python3 my_layers.py` (every function) or `--function softmax`. An input's shape
lists sizes or dimension names (ranges in `dims`); `{"shape": [...], "differentiable": False, "values":
"probabilities"}` holds an input fixed (a target distribution). A function with one output names it `y`.
"""

from __future__ import annotations

import json
import math
import os
import sys
import traceback
from typing import IO, Any, Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np

from ._version import __version__

__all__ = ["Case", "Function", "Unsupported", "run_function_worker", "run_worker", "PROTOCOL"]

PROTOCOL = 1
_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
CONVENTION_KEYS = ("weightLayout", "returns", "learningRate", "reduction", "batch", "precision")
SUPPORT_KEYS = (
    "activations", "outputActivations", "reductions", "bias",
    "minDepth", "maxDepth", "minWidth", "maxWidth", "minInputs", "maxInputs",
    "minOutputs", "maxOutputs", "minBatch", "maxBatch",
)
RESULT_KEYS = ("weights", "biases", "inputs", "loss")


class Unsupported(Exception):
    """Raise in gradients(case) or loss(case) to decline a case your code does not handle."""


class Case:
    """One network at one point, as NumPy arrays (float64), weights in the declared layout."""

    def __init__(self, message: Mapping[str, Any]) -> None:
        self.id: int = message["id"]
        self.seed: int = message["seed"]
        self.network: Dict[str, Any] = message["network"]
        self.activations: List[str] = [layer["activation"] for layer in self.network["layers"]]
        self.weights: List[np.ndarray] = [_array(p["W"]) for p in message["parameters"]]
        self.biases: List[Optional[np.ndarray]] = [_array(p["b"]) if p.get("b") is not None else None for p in message["parameters"]]
        self.inputs: np.ndarray = _array(message["inputs"])
        self.targets: np.ndarray = _array(message["targets"])
        self.reduction: str = message["reduction"]

    @property
    def batch_size(self) -> int:
        return self.inputs.shape[0]


GradientsFn = Callable[[Case], Mapping[str, Any]]
LossFn = Callable[[Case], Any]



def _requests(source: Any) -> Iterator[Dict[str, Any]]:
    """The requests on `source`, one JSON object a line, until end of input (gradcheck has gone) or shutdown."""
    while True:
        line = source.readline()
        if not line:
            return
        if not line.strip():
            continue
        request = json.loads(line)
        if request.get("op") == "shutdown":
            return
        yield request

def run_worker(
    name: str,
    gradients: GradientsFn,
    loss: Optional[LossFn] = None,
    conventions: Optional[Mapping[str, Any]] = None,
    max_cases: Optional[int] = None,
    supports: Optional[Mapping[str, Any]] = None,
    stdin: Optional[IO[str]] = None,
    stdout: Optional[IO[str]] = None,
) -> None:
    """Serve gradcheck requests until shutdown or end of input.

    ``gradients(case)`` returns ``{"weights": [...], "biases": [...]}`` (optionally ``"inputs"`` and
    ``"loss"``); ``loss(case)`` the loss, which ``--mode self`` needs. ``conventions`` and ``supports``
    go into the handshake as docs/protocol.md names them; ``stdin``/``stdout`` default to the process's.
    """
    if not callable(gradients):
        raise TypeError("run_worker: gradients must be a function gradients(case) -> dict")
    if loss is not None and not callable(loss):
        raise TypeError("run_worker: loss must be a function loss(case) -> float, or None")
    conventions = dict(conventions or {})
    unknown = sorted(set(conventions) - set(CONVENTION_KEYS))
    if unknown:
        raise ValueError(f"run_worker: unknown convention(s) {unknown}; expected some of {list(CONVENTION_KEYS)}")
    capabilities = ["gradients"] + (["loss"] if loss is not None else [])
    handshake = {"protocol": PROTOCOL, "name": name, "helperVersion": __version__, "conventions": conventions, "capabilities": capabilities}
    if max_cases is not None:
        handshake["maxCases"] = int(max_cases)
    if supports is not None:
        unknown = sorted(set(supports) - set(SUPPORT_KEYS))
        if unknown:
            raise ValueError(f"run_worker: unknown supports key(s) {unknown}; expected some of {list(SUPPORT_KEYS)}")
        handshake["supports"] = dict(supports)

    source = stdin or sys.stdin
    out = stdout or sys.stdout
    saved_stdout, sys.stdout = sys.stdout, sys.stderr  # a stray print() must not corrupt the protocol
    try:
        _send(out, handshake)
        for request in _requests(source):
            op = request.get("op")
            if op == "gradients":
                results = [_answer(raw, lambda case: _gradient_result(case, gradients(case))) for raw in request["cases"]]
            elif op == "loss" and loss is not None:
                results = [_answer(raw, lambda case: {"loss": _scalar(loss(case), "loss(case)")}) for raw in request["cases"]]
            else:
                _send(out, {"id": request.get("id"), "error": f"unsupported op {op!r}; this worker answers {capabilities}"})
                continue
            _send(out, {"id": request["id"], "results": results})
    except BrokenPipeError:
        # gradcheck has gone; silence the interpreter's own flush of the dead pipe at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), out.fileno())
    finally:
        sys.stdout = saved_stdout


def _answer(raw, compute):
    """The result for one case, or its error message; never raises."""
    try:
        return {"case": raw["id"], **_wire(compute(Case(raw)))}
    except Unsupported as declined:  # not an error: gradcheck counts it and moves on
        return {"case": raw.get("id"), "unsupported": str(declined) or "unsupported"}
    except Exception as error:  # the user's code failed on this case: report it, keep serving
        traceback.print_exc(file=sys.stderr)
        return {"case": raw.get("id"), "error": _describe(error)}


def _gradient_result(case, value):
    if not isinstance(value, dict):
        raise TypeError(f"gradients(case) returned {type(value).__name__}; expected a dict with keys {list(RESULT_KEYS)}")
    unknown = sorted(set(value) - set(RESULT_KEYS))
    if unknown:
        raise ValueError(f"gradients(case) returned unknown key(s) {unknown}; expected some of {list(RESULT_KEYS)}")
    weights = list(value["weights"])
    biases = value.get("biases")
    biases = [None] * len(weights) if biases is None else list(biases)
    if len(weights) != len(case.weights) or len(biases) != len(case.weights):
        raise ValueError(
            f"gradients(case) returned {len(weights)} weight and {len(biases)} bias gradients; "
            f"the network has {len(case.weights)} layers"
        )
    parameters = []
    for layer, (dW, db) in enumerate(zip(weights, biases)):
        entry = {"W": _vector_shape(np.asarray(dW, dtype=np.float64), case.weights[layer].shape)}
        if db is not None:
            entry["b"] = np.asarray(db, dtype=np.float64).ravel()
        parameters.append(entry)
    result = {"parameters": parameters}
    if value.get("inputs") is not None:
        result["inputs"] = _vector_shape(np.asarray(value["inputs"], dtype=np.float64), case.inputs.shape)
    if value.get("loss") is not None:
        result["loss"] = _scalar(value["loss"], "the returned loss")
    return result


def _vector_shape(array, shape):
    # A single row or column (one output, one sample) is often computed as a 1-D vector; its order is
    # unambiguous. Any other shape is sent as is, for gradcheck to report.
    if array.ndim == 1 and 1 in shape and array.size == shape[0] * shape[1]:
        return array.reshape(shape)
    return array


def _scalar(value, what):
    array = np.asarray(value, dtype=np.float64)
    if array.size != 1:
        raise ValueError(f"{what} has shape {array.shape}; expected a single number")
    return float(array.reshape(()))


def _array(value):
    # The strings "NaN", "Infinity", "-Infinity" convert like numbers.
    return np.asarray(value, dtype=np.float64)


def _wire(value):
    """JSON-ready: arrays as nested lists, non-finite numbers as the protocol's strings."""
    if isinstance(value, dict):
        return {key: _wire(v) for key, v in value.items()}
    if isinstance(value, np.ndarray):
        if np.isfinite(value).all():
            return value.tolist()  # Python floats: json writes their shortest round-trip repr
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return [_wire(v) for v in value]
    if isinstance(value, (float, np.floating)):
        x = float(value)
        if math.isfinite(x):
            return x
        return "NaN" if math.isnan(x) else ("Infinity" if x > 0 else "-Infinity")
    return value


def _describe(error: BaseException) -> str:
    """`ValueError: message (at my_worker.py:42 in gradients)`, the innermost frame outside NumPy.

    A frame in this package is named `gradcheck/worker.py`, so a user's file of the same name is not
    mistaken for it."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f"{os.sep}numpy{os.sep}" not in f.filename]
    where = f" (at {_where(frames[-1].filename)}:{frames[-1].lineno} in {frames[-1].name})" if frames else ""
    return f"{type(error).__name__}: {error}{where}"


def _where(filename: str) -> str:
    if os.path.dirname(os.path.abspath(filename)) == _PACKAGE_DIR:
        return "gradcheck/" + os.path.basename(filename)
    return os.path.basename(filename)


def _send(out, message):
    out.write(json.dumps(message, allow_nan=False, separators=(",", ":")) + "\n")
    out.flush()


class Function:
    """A named function for run_function_worker: f(**inputs), its vjp(inputs, cotangent), optionally jvp(inputs, tangent)."""

    def __init__(
        self,
        name: str,
        f: Callable[..., Any],
        vjp: Callable[[Dict[str, np.ndarray], Dict[str, np.ndarray]], Mapping[str, Any]],
        inputs: Mapping[str, Union[Sequence[Union[int, str]], Mapping[str, Any]]],
        dims: Optional[Mapping[str, Tuple[int, int]]] = None,
        jvp: Optional[Callable[[Dict[str, np.ndarray], Dict[str, np.ndarray]], Any]] = None,
        kinks: Optional[Iterable[float]] = None,
    ) -> None:
        if not callable(f) or not callable(vjp) or (jvp is not None and not callable(jvp)):
            raise TypeError(f"Function {name!r}: f and vjp (and jvp, when given) must be functions")
        self.name = name
        self.f = f
        self.vjp = vjp
        self.jvp = jvp
        self.inputs = {key: (dict(spec) if isinstance(spec, dict) else {"shape": list(spec)}) for key, spec in inputs.items()}
        self.dims = {key: {"min": int(lo), "max": int(hi)} for key, (lo, hi) in (dims or {}).items()}
        self.kinks = kinks

    def spec(self) -> Dict[str, Any]:
        """This function as the handshake lists it (docs/protocol.md, "Named functions")."""
        spec = {"name": self.name, "inputs": self.inputs}
        if self.dims:
            spec["dims"] = self.dims
        if self.jvp is not None:
            spec["jvp"] = True
        if self.kinks is not None:
            spec["kinks"] = [float(k) for k in self.kinks]
        return spec


def run_function_worker(
    name: str,
    functions: Iterable[Function],
    max_cases: Optional[int] = None,
    stdin: Optional[IO[str]] = None,
    stdout: Optional[IO[str]] = None,
) -> None:
    """Serve gradcheck's `evaluate`, `vjp` and `jvp` requests for named functions until shutdown."""
    functions = list(functions)
    by_name: Dict[str, Function] = {}
    for fn in functions:
        if not isinstance(fn, Function):
            raise TypeError(f"run_function_worker: {fn!r} is not a Function(name, f, vjp, inputs)")
        if fn.name in by_name:
            raise ValueError(f"run_function_worker: two functions are named {fn.name!r}")
        by_name[fn.name] = fn
    handshake = {"protocol": PROTOCOL, "name": name, "helperVersion": __version__, "capabilities": ["functions"], "functions": [fn.spec() for fn in functions]}
    if max_cases is not None:
        handshake["maxCases"] = int(max_cases)
    source = stdin or sys.stdin
    out = stdout or sys.stdout
    saved_stdout, sys.stdout = sys.stdout, sys.stderr  # a stray print() must not corrupt the protocol
    ops = {"evaluate": _evaluate_case, "vjp": _vjp_case, "jvp": _jvp_case}
    try:
        _send(out, handshake)
        for request in _requests(source):
            op = request.get("op")
            if op not in ops:
                _send(out, {"id": request.get("id"), "error": f"unsupported op {op!r}; this worker answers evaluate, vjp, jvp"})
                continue
            results = [_function_answer(raw, by_name, ops[op]) for raw in request["cases"]]
            _send(out, {"id": request["id"], "results": results})
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), out.fileno())
    finally:
        sys.stdout = saved_stdout


def _tensors(raw):
    return {key: np.asarray(t["data"], dtype=np.float64).reshape(t["shape"]) for key, t in raw.items()}


def _wire_tensors(named, what):
    if isinstance(named, np.ndarray) or np.isscalar(named):
        named = {"y": named}
    if not isinstance(named, dict):
        raise TypeError(f"{what} returned {type(named).__name__}; expected an array or a dict of arrays")
    out = {}
    for key, value in named.items():
        array = np.asarray(value, dtype=np.float64)
        out[key] = {"shape": list(array.shape), "data": _wire(array.ravel())}
    return out


def _evaluate_case(fn, raw):
    return {"outputs": _wire_tensors(fn.f(**_tensors(raw["inputs"])), f"{fn.name}(...)")}


def _vjp_case(fn, raw):
    return {"vjp": _wire_tensors(fn.vjp(_tensors(raw["inputs"]), _tensors(raw["cotangent"])), f"{fn.name} vjp")}


def _jvp_case(fn, raw):
    if fn.jvp is None:
        raise ValueError(f"{fn.name} has no jvp")
    return {"jvp": _wire_tensors(fn.jvp(_tensors(raw["inputs"]), _tensors(raw["tangent"])), f"{fn.name} jvp")}


def _function_answer(raw, by_name, compute):
    """The result for one case, or its error message; never raises."""
    try:
        fn = by_name.get(raw.get("function"))
        if fn is None:
            raise KeyError(f"no function {raw.get('function')!r}; this worker has {sorted(by_name)}")
        return {"case": raw.get("id"), **compute(fn, raw)}
    except Exception as error:
        traceback.print_exc(file=sys.stderr)
        return {"case": raw.get("id"), "error": _describe(error)}
