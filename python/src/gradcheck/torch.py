"""PyTorch adapters: turn a ``torch.autograd.Function`` (or any function of tensors) and an
``nn.Module`` into what gradcheck checks.

- :func:`function_entry`: a named function of the ``functions`` protocol. Its ``evaluate`` is the
  forward pass (``Function.apply`` under ``torch.no_grad``), its ``vjp`` the backward pass
  (``torch.autograd.grad`` with the cotangent as ``grad_outputs``), its ``jvp`` (when the Function
  defines ``jvp``) forward-mode AD. gradcheck compares them with finite differences of the forward.
- :func:`module_network`: an ``nn.Module`` made of ``nn.Linear`` layers with sigmoid, ReLU or identity
  activations, trained on the squared error, as a network worker checked against gradcheck's
  reference engine. Weights travel ``out × in`` as torch stores them (``weightLayout: "out-in"``), the
  module's dtype is declared as the precision (float32 modules are judged by float32 tolerances).
- :func:`module_entry`: any module's parameter gradients (and its input's), as a named function of
  its parameters and input: autograd against finite differences of the module's own forward pass.

A module on a GPU (or any device but the CPU) is copied to the CPU for the check, and the worker's
name, which every report line carries, says so. Function entries are evaluated on the CPU in float64:
the functions protocol has no precision of its own, so its tolerances are float64's.

These build the worker's pieces; ``gradcheck.pytest_plugin`` runs them, or serve one yourself:

    from gradcheck import run_function_worker
    from gradcheck.torch import function_entry
    run_function_worker("my-ops", [function_entry(MyTanh, inputs={"x": ["N"]}, dims={"N": (1, 6)})])
"""

from __future__ import annotations

import copy
import inspect
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np

try:
    import torch
    from torch import nn
except ModuleNotFoundError as missing:  # one clear message instead of a traceback deep in an adapter
    if missing.name != "torch":
        raise
    raise ModuleNotFoundError(
        "gradcheck.torch needs PyTorch, which this Python does not have; install it (pip install torch, "
        "or Debian's apt-get install python3-torch)",
        name="torch",
    ) from None

from .worker import Case, Function, Unsupported

__all__ = ["function_entry", "module_entry", "module_network", "ModuleNetwork", "PRECISIONS"]

#: torch dtypes by the precision names of docs/protocol.md ("conventions.precision").
PRECISIONS: Dict[Any, str] = {torch.float64: "float64", torch.float32: "float32", torch.float16: "float16", torch.bfloat16: "bfloat16"}

Shape = Sequence[Union[int, str]]
InputSpec = Union[Shape, Mapping[str, Any]]


def _call(fn: Any) -> Callable[..., Any]:
    """A Function class is called through ``apply``; anything else (torch.tanh, a lambda) as it is."""
    if isinstance(fn, type) and issubclass(fn, torch.autograd.Function):
        return fn.apply
    if not callable(fn):
        raise TypeError(f"gradcheck.torch: {fn!r} is neither a torch.autograd.Function nor a function of tensors")
    return fn


def _has_own_jvp(fn: Any) -> bool:
    return isinstance(fn, type) and issubclass(fn, torch.autograd.Function) and "jvp" in vars(fn)


def _outputs(value: Any, names: Optional[Sequence[str]]) -> Dict[str, Any]:
    """A tensor is output ``y``; a tuple's tensors are named by ``outputs=`` (default y0, y1, …)."""
    if isinstance(value, torch.Tensor):
        return {(names[0] if names else "y"): value}
    if isinstance(value, (tuple, list)):
        keys = list(names) if names else [f"y{i}" for i in range(len(value))]
        if len(keys) != len(value):
            raise ValueError(f"the function returned {len(value)} outputs; outputs= names {len(keys)}")
        return dict(zip(keys, value))
    raise TypeError(f"the function returned {type(value).__name__}; expected a tensor or a tuple of tensors")


def _numpy(t: Any) -> np.ndarray:
    return t.detach().cpu().to(torch.float64).numpy() if isinstance(t, torch.Tensor) else np.asarray(t, dtype=np.float64)


def function_entry(
    fn: Any,
    inputs: Mapping[str, InputSpec],
    dims: Optional[Mapping[str, Tuple[int, int]]] = None,
    name: Optional[str] = None,
    outputs: Optional[Sequence[str]] = None,
    kinks: Optional[Sequence[float]] = None,
) -> Function:
    """A ``torch.autograd.Function`` subclass (or a function of tensors) as a named function.

    ``inputs`` names the positional arguments in order, each with its shape (sizes or dimension
    names, ranges in ``dims``) or a spec such as ``{"shape": [...], "differentiable": False}``.
    """
    call = _call(fn)
    order = list(inputs)
    entry_name = name or getattr(fn, "__name__", "function")
    fixed = {k for k, spec in inputs.items() if isinstance(spec, Mapping) and spec.get("differentiable") is False}

    def tensors(arrays: Mapping[str, np.ndarray], grad: bool) -> List[Any]:
        return [torch.tensor(arrays[k], dtype=torch.float64, requires_grad=grad and k not in fixed) for k in order]

    def f(**arrays: np.ndarray) -> Dict[str, np.ndarray]:
        with torch.no_grad():
            return {k: _numpy(v) for k, v in _outputs(call(*tensors(arrays, False)), outputs).items()}

    def vjp(arrays: Dict[str, np.ndarray], cotangent: Dict[str, np.ndarray]) -> Dict[str, np.ndarray]:
        args = tensors(arrays, True)
        named = _outputs(call(*args), outputs)
        wrt = [(k, t) for k, t in zip(order, args) if t.requires_grad]
        grads = torch.autograd.grad(
            [named[k] for k in named], [t for _, t in wrt],
            grad_outputs=[torch.as_tensor(cotangent[k], dtype=named[k].dtype).reshape(named[k].shape) for k in named],
            allow_unused=True,
        )
        return {k: (np.zeros(t.shape) if g is None else _numpy(g)) for (k, t), g in zip(wrt, grads)}

    jvp = None
    if _has_own_jvp(fn):
        import torch.autograd.forward_ad as fwAD

        def jvp(arrays: Dict[str, np.ndarray], tangent: Dict[str, np.ndarray]) -> Dict[str, np.ndarray]:
            with fwAD.dual_level():
                args = [
                    fwAD.make_dual(t, torch.as_tensor(tangent[k], dtype=torch.float64).reshape(t.shape)) if k in tangent else t
                    for k, t in zip(order, tensors(arrays, False))
                ]
                named = _outputs(call(*args), outputs)
                return {k: _tangent(fwAD.unpack_dual(v).tangent, v) for k, v in named.items()}

    return Function(entry_name, f, vjp=vjp, inputs=inputs, dims=dims, jvp=jvp, kinks=kinks)


def _tangent(t: Any, value: Any) -> np.ndarray:
    return np.zeros(tuple(value.shape)) if t is None else _numpy(t)


def _on_cpu(module: Any) -> Tuple[Any, Optional[str]]:
    """The module itself when it is on the CPU; else a copy moved there, and where it was."""
    devices = {p.device for p in module.parameters()} | {b.device for b in module.buffers()}
    elsewhere = sorted(str(d) for d in devices if d.type != "cpu")
    if not elsewhere:
        return module, None
    return copy.deepcopy(module).cpu(), ", ".join(elsewhere)


def module_entry(
    module: Any,
    inputs: Mapping[str, InputSpec],
    dims: Optional[Mapping[str, Tuple[int, int]]] = None,
    name: Optional[str] = None,
    outputs: Optional[Sequence[str]] = None,
) -> Function:
    """Any module's parameter gradients, checked by finite differences of its own forward pass.

    The function's inputs are the module's parameters (by their names, ``0.weight``) and the module's
    arguments, named and shaped by ``inputs`` (``{"x": [2, 3]}``). Evaluated on a float64 copy on the
    CPU (``torch.nn.utils.stateless.functional_call``), so the module itself is left as it was.
    """
    from torch.nn.utils.stateless import functional_call

    cpu, moved = _on_cpu(module)
    work = copy.deepcopy(cpu).to(torch.float64)
    params = dict(work.named_parameters())
    clash = sorted(set(params) & set(inputs))
    if clash:
        raise ValueError(f"module_entry: input name(s) {clash} are also parameter names; name the module's inputs otherwise")
    def run(*tensors: Any) -> Any:
        named = dict(zip(list(params), tensors[: len(params)]))
        return functional_call(work, named, tuple(tensors[len(params):]))

    specs: Dict[str, InputSpec] = {k: list(p.shape) for k, p in params.items()}
    specs.update(inputs)
    label = name or type(module).__name__
    if moved:
        label += f" (moved from {moved} to the CPU)"
    entry = function_entry(run, specs, dims=dims, name=label, outputs=outputs)
    return entry


_ACTIVATION_MODULES = {nn.Sigmoid: "sigmoid", nn.ReLU: "relu", nn.Identity: "identity"}


class ModuleNetwork:
    """An ``nn.Module`` of ``nn.Linear`` layers as a network worker (``run_worker``'s arguments).

    ``activations`` names each layer's activation when the module applies them in ``forward`` (as
    ``torch.sigmoid``) instead of as ``nn.Sigmoid``/``nn.ReLU``/``nn.Identity`` submodules.
    """

    def __init__(self, module: Any, activations: Optional[Sequence[str]] = None, name: Optional[str] = None) -> None:
        cpu, self.moved_from = _on_cpu(module)
        # Each case's weights are loaded into this copy: the caller's module keeps its own.
        self.module = cpu if cpu is not module else copy.deepcopy(module)
        self.linears, found = _layers(self.module)
        self.activations = list(activations) if activations is not None else found
        if len(self.activations) != len(self.linears):
            raise ValueError(f"module_network: {len(self.linears)} nn.Linear layers but {len(self.activations)} activations {self.activations}")
        unknown = sorted(set(self.activations) - set(_ACTIVATION_MODULES.values()))
        if unknown:
            raise ValueError(f"module_network: unknown activation(s) {unknown}; expected sigmoid, relu or identity")
        dtypes = {p.dtype for p in self.module.parameters()}
        if len(dtypes) != 1 or next(iter(dtypes)) not in PRECISIONS:
            raise ValueError(f"module_network: the module's parameters have dtypes {sorted(map(str, dtypes))}; expected one of {sorted(PRECISIONS.values())}")
        self.dtype = next(iter(dtypes))
        self.name = (name or type(module).__name__) + (f" (moved from {self.moved_from} to the CPU)" if self.moved_from else "")

    @property
    def shape(self) -> List[Tuple[int, int, bool]]:
        """Each layer's (inputs, outputs, has a bias)."""
        return [(l.in_features, l.out_features, l.bias is not None) for l in self.linears]

    def architecture(self) -> str:
        """In the reports' words: ``[3 → sigmoid 4 → identity 2]``."""
        parts = [str(self.shape[0][0])] + [
            f"{act} {out}" + ("" if bias else " (no bias)") for (_, out, bias), act in zip(self.shape, self.activations)
        ]
        return "[" + " → ".join(parts) + "]"

    def conventions(self) -> Dict[str, Any]:
        return {"weightLayout": "out-in", "returns": "gradient", "batch": "batch", "precision": PRECISIONS[self.dtype]}

    def supports(self) -> Dict[str, Any]:
        """The architecture of this module: gradcheck generates only such networks."""
        shape = self.shape
        hidden = [out for _, out, _ in shape[:-1]]
        biases = {b for _, _, b in shape}
        supports: Dict[str, Any] = {
            "minDepth": len(shape), "maxDepth": len(shape),
            "minInputs": shape[0][0], "maxInputs": shape[0][0],
            "minOutputs": shape[-1][1], "maxOutputs": shape[-1][1],
            "outputActivations": [self.activations[-1]],
            "bias": biases.pop() if len(biases) == 1 else "mixed",
        }
        if hidden:
            supports.update(minWidth=min(hidden), maxWidth=max(hidden), activations=sorted(set(self.activations[:-1])))
        return supports

    def _load(self, case: Case) -> None:
        layers = [(W.shape[1], W.shape[0], b is not None) for W, b in zip(case.weights, case.biases)]
        if layers != self.shape or case.activations != self.activations:
            # gradcheck draws within supports(); what is left is a width or bias or activation of one
            # layer that differs from this module's, which only this module's own architecture fits.
            raise Unsupported(f"the module is {self.architecture()}")
        with torch.no_grad():
            for linear, W, b in zip(self.linears, case.weights, case.biases):
                linear.weight.copy_(torch.as_tensor(W, dtype=self.dtype))
                if b is not None:
                    linear.bias.copy_(torch.as_tensor(b, dtype=self.dtype))

    def _loss(self, case: Case, x: Any) -> Any:
        residual = self.module(x) - torch.as_tensor(case.targets, dtype=self.dtype)
        squares = (residual * residual).sum()
        return {"mean": squares / residual.numel(), "sum": squares, "half-sum": 0.5 * squares}[case.reduction]

    def gradients(self, case: Case) -> Dict[str, Any]:
        self._load(case)
        self.module.zero_grad(set_to_none=True)
        x = torch.tensor(case.inputs, dtype=self.dtype, requires_grad=True)
        loss = self._loss(case, x)
        loss.backward()
        return {
            "weights": [_numpy(l.weight.grad) for l in self.linears],
            "biases": [None if l.bias is None else _numpy(l.bias.grad) for l in self.linears],
            "inputs": _numpy(x.grad),
            "loss": float(loss),
        }

    def loss(self, case: Case) -> float:
        self._load(case)
        with torch.no_grad():
            return float(self._loss(case, torch.as_tensor(case.inputs, dtype=self.dtype)))


def _layers(module: Any) -> Tuple[List[Any], List[str]]:
    """The module's nn.Linear layers in order, each with the activation module that follows it."""
    linears: List[Any] = []
    activations: List[str] = []
    for child in module.modules():
        if child is module and not isinstance(child, nn.Linear):
            continue
        if isinstance(child, nn.Linear):
            linears.append(child)
            activations.append("identity")
        elif type(child) in _ACTIVATION_MODULES:
            if not linears:
                raise ValueError(f"module_network: {type(child).__name__} comes before any nn.Linear layer")
            activations[-1] = _ACTIVATION_MODULES[type(child)]
        elif list(child.parameters(recurse=False)) or not list(child.children()):
            raise ValueError(
                f"module_network: {type(child).__name__} is not nn.Linear, nn.Sigmoid, nn.ReLU or nn.Identity; "
                "check any module's gradients with module_entry (gradcheck.check_module_gradients) instead"
            )
    if not linears:
        raise ValueError("module_network: the module has no nn.Linear layer")
    return linears, activations


def module_network(module: Any, activations: Optional[Sequence[str]] = None, name: Optional[str] = None) -> ModuleNetwork:
    """An ``nn.Module`` (or a class or factory called with no arguments) as a network worker."""
    if isinstance(module, type) or (callable(module) and not isinstance(module, nn.Module)):
        required = [p for p in inspect.signature(module).parameters.values() if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        if required:
            raise TypeError(f"module_network: {module!r} needs arguments {[p.name for p in required]}; pass an instance instead")
        module = module()
    if not isinstance(module, nn.Module):
        raise TypeError(f"module_network: {module!r} is not an nn.Module")
    return ModuleNetwork(module, activations=activations, name=name)
