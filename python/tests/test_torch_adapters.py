"""gradcheck.torch's adapters, called directly (no gradcheck command): what each serves, compared with
torch's own autograd and with derivatives written out by hand."""

import numpy as np
import pytest
import torch
from torch import nn

from gradcheck.torch import PRECISIONS, function_entry, module_entry, module_network
from gradcheck.worker import Case, Unsupported
from torch_cases import BuggyTanh, CustomMLP, MulAdd, Tanh, TanhForwardAD


def test_a_function_entry_evaluates_the_forward_and_takes_the_vjp_through_backward():
    entry = function_entry(Tanh, inputs={"x": ["N"]}, dims={"N": (1, 4)})
    x = np.array([0.5, -1.0])
    assert entry.spec() == {"name": "Tanh", "inputs": {"x": {"shape": ["N"]}}, "dims": {"N": {"min": 1, "max": 4}}}
    np.testing.assert_array_equal(entry.f(x=x)["y"], np.tanh(x))
    # d tanh = 1 − tanh², times the cotangent
    np.testing.assert_allclose(entry.vjp({"x": x}, {"y": np.array([1.0, 2.0])})["x"], (1 - np.tanh(x) ** 2) * [1.0, 2.0], rtol=1e-15)
    buggy = function_entry(BuggyTanh, inputs={"x": ["N"]})
    np.testing.assert_allclose(buggy.vjp({"x": x}, {"y": np.ones(2)})["x"], 1.01 * (1 - np.tanh(x) ** 2), rtol=1e-15)


def test_several_inputs_in_forward_order_and_a_fixed_one_get_no_gradient():
    entry = function_entry(MulAdd, inputs={"a": [2], "b": [2], "c": {"shape": [2], "differentiable": False}})
    a, b, c = np.array([1.0, 2.0]), np.array([3.0, -1.0]), np.array([0.5, 0.5])
    np.testing.assert_array_equal(entry.f(a=a, b=b, c=c)["y"], a * b + c)
    grads = entry.vjp({"a": a, "b": b, "c": c}, {"y": np.array([1.0, 10.0])})
    assert sorted(grads) == ["a", "b"]
    np.testing.assert_array_equal(grads["a"], b * [1.0, 10.0])
    np.testing.assert_array_equal(grads["b"], a * [1.0, 10.0])


def test_a_function_that_defines_jvp_is_checked_in_forward_mode_too():
    entry = function_entry(TanhForwardAD, inputs={"x": ["N"]})
    assert entry.spec()["jvp"] is True
    x = np.array([0.3, 2.0])
    np.testing.assert_allclose(entry.jvp({"x": x}, {"x": np.array([1.0, -1.0])})["y"], (1 - np.tanh(x) ** 2) * [1.0, -1.0], rtol=1e-15)
    assert "jvp" not in function_entry(Tanh, inputs={"x": ["N"]}).spec()


def test_plain_torch_functions_and_tuples_of_outputs_work_too():
    entry = function_entry(lambda x: (torch.sin(x), torch.cos(x)), inputs={"x": [3]}, outputs=["s", "c"], name="sincos")
    x = np.array([0.0, 1.0, 2.0])
    out = entry.f(x=x)
    np.testing.assert_allclose(out["s"], np.sin(x), rtol=1e-15)
    grads = entry.vjp({"x": x}, {"s": np.ones(3), "c": np.ones(3)})
    np.testing.assert_allclose(grads["x"], np.cos(x) - np.sin(x), rtol=1e-15)


def _case(net, weights, biases, x, t, reduction="mean"):
    layers = [{"outputs": W.shape[0], "activation": a} for W, a in zip(weights, net.activations)]
    return Case({
        "id": 1, "seed": 0, "network": {"inputs": x.shape[1], "layers": layers},
        "parameters": [{"W": W.tolist(), "b": None if b is None else b.tolist()} for W, b in zip(weights, biases)],
        "inputs": x.tolist(), "targets": t.tolist(), "reduction": reduction,
    })


def test_a_module_network_declares_its_architecture_out_in_layout_and_dtype_as_precision():
    net = module_network(nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2, bias=False)).to(torch.float32))
    assert net.conventions() == {"weightLayout": "out-in", "returns": "gradient", "batch": "batch", "precision": "float32"}
    assert net.supports() == {"minDepth": 2, "maxDepth": 2, "minInputs": 3, "maxInputs": 3, "minOutputs": 2, "maxOutputs": 2,
                              "outputActivations": ["identity"], "bias": "mixed", "minWidth": 4, "maxWidth": 4, "activations": ["relu"]}
    assert net.architecture() == "[3 → relu 4 → identity 2 (no bias)]"
    assert PRECISIONS[torch.float64] == "float64"


def test_a_module_network_computes_the_mse_gradients_of_the_case_it_is_sent():
    # One layer, identity, half-sum: L = ½ Σ (W x + b − t)², dL/dW = r xᵀ, dL/db = Σ_rows r (r the residual).
    lin = nn.Linear(2, 1).double()
    before = lin.weight.detach().clone()
    net = module_network(lin)
    W, b = np.array([[1.0, -2.0]]), np.array([0.5])
    x, t = np.array([[1.0, 1.0], [2.0, 0.0]]), np.array([[0.0], [1.0]])
    result = net.gradients(_case(net, [W], [b], x, t, "half-sum"))
    r = x @ W.T + b - t
    np.testing.assert_allclose(result["weights"][0], r.T @ x, rtol=1e-15)
    np.testing.assert_allclose(result["biases"][0], r.sum(axis=0), rtol=1e-15)
    np.testing.assert_allclose(result["inputs"], r @ W, rtol=1e-15)
    assert result["loss"] == pytest.approx(0.5 * float((r**2).sum()), rel=1e-15)
    # The case's weights went into a copy: the module passed in keeps its own.
    assert torch.equal(lin.weight.detach(), before)


def test_activations_applied_in_forward_are_named_and_other_architectures_declined():
    net = module_network(CustomMLP(), activations=["sigmoid", "identity"])
    assert net.architecture() == "[3 → sigmoid 4 → identity 2]"
    other = _case(net, [np.zeros((5, 3)), np.zeros((2, 5))], [np.zeros(5), np.zeros(2)], np.zeros((1, 3)), np.zeros((1, 2)))
    with pytest.raises(Unsupported, match=r"the module is \[3 → sigmoid 4 → identity 2\]"):
        net.gradients(other)


def test_modules_it_cannot_map_are_refused_by_name():
    with pytest.raises(ValueError, match="module_network: Tanh is not nn.Linear, nn.Sigmoid, nn.ReLU or nn.Identity; check any module's gradients with module_entry"):
        module_network(nn.Sequential(nn.Linear(2, 2), nn.Tanh()))
    with pytest.raises(ValueError, match=r"module_network: 2 nn.Linear layers but 1 activations \['relu'\]"):
        module_network(CustomMLP(), activations=["relu"])


def test_a_module_entry_takes_the_parameters_and_the_input_as_inputs():
    conv = nn.Conv1d(1, 2, kernel_size=2).double()
    entry = module_entry(conv, inputs={"x": [1, 1, 4]})
    assert entry.spec()["inputs"] == {"weight": {"shape": [2, 1, 2]}, "bias": {"shape": [2]}, "x": {"shape": [1, 1, 4]}}
    x = np.arange(4.0).reshape(1, 1, 4)
    params = {"weight": conv.weight.detach().numpy(), "bias": conv.bias.detach().numpy()}
    np.testing.assert_allclose(entry.f(x=x, **params)["y"], conv(torch.tensor(x)).detach().numpy(), rtol=1e-15)
    grads = entry.vjp({"x": x, **params}, {"y": np.ones((1, 2, 3))})
    # ∂Σy/∂bias = the output length, 3, per channel
    np.testing.assert_allclose(grads["bias"], [3.0, 3.0])


class TwoLayers(nn.Sequential):
    def __init__(self):
        super().__init__(nn.Linear(2, 3), nn.Sigmoid(), nn.Linear(3, 1))


def test_a_module_class_made_without_arguments_is_instantiated_and_one_that_needs_them_refused():
    assert module_network(TwoLayers).architecture() == "[2 → sigmoid 3 → identity 1]"
    with pytest.raises(TypeError, match=r"module_network: .* needs arguments \['sizes'\]; pass an instance instead"):
        module_network(lambda sizes: nn.Linear(*sizes))


def test_a_module_with_mixed_dtypes_is_refused_by_name():
    mixed = nn.Sequential(nn.Linear(2, 2).double(), nn.Linear(2, 1).float())
    with pytest.raises(ValueError, match=r"the module's parameters have dtypes \['torch.float32', 'torch.float64'\]"):
        module_network(mixed)


def test_a_module_elsewhere_than_the_cpu_is_checked_as_a_cpu_copy_and_the_name_says_so(monkeypatch):
    # No GPU here: a module whose parameters report cuda:0 stands in for one (torch.device needs no GPU).
    import gradcheck.torch as adapters

    class OnGpu(nn.Sequential):
        def parameters(self, recurse=True):
            for p in super().parameters(recurse):
                yield type("Param", (), {"device": torch.device("cuda", 0), "dtype": p.dtype})()

    gpu = OnGpu(nn.Linear(2, 1))
    copy, moved = adapters._on_cpu(gpu)
    assert moved == "cuda:0" and copy is not gpu
    monkeypatch.setattr(adapters, "_on_cpu", lambda m: (nn.Sequential(nn.Linear(2, 1)).double(), "cuda:0"))
    assert module_network(nn.Linear(2, 1)).name == "Linear (moved from cuda:0 to the CPU)"
    assert module_entry(nn.Linear(2, 1), inputs={"x": [1, 2]}).name == "Linear (moved from cuda:0 to the CPU)"
