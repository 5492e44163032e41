"""torch.autograd.gradcheck and gradgradcheck on the planted bugs of examples/python/torch/torch_layers.py, and on
correct code in float32, for docs/pytorch.md (which quotes what this prints).

    PYTHONPATH=examples/python/torch /usr/bin/python3 bench/torch_side_by_side.py
"""

import time

import torch
from torch.autograd import gradcheck, gradgradcheck

from torch_layers import BuggyMulAdd, BuggyTanh, CustomMLP, ForgetfulSigmoid, Tanh

torch.manual_seed(0)


def attempt(title, check):
    print(f"=== {title}")
    start = time.perf_counter()
    try:
        print("returned", check())
    except Exception as error:  # gradcheck raises GradcheckError (a RuntimeError) on a mismatch
        print(f"{type(error).__name__}: {error}")
    print(f"({time.perf_counter() - start:.2f} s)\n")


x64 = torch.randn(5, dtype=torch.float64, requires_grad=True)
x32 = x64.detach().float().requires_grad_()
a, b, c = (torch.randn(3, dtype=torch.float64, requires_grad=True) for _ in range(3))

attempt("gradcheck(BuggyTanh.apply, (x,), eps=1e-6, atol=1e-5, rtol=1e-3), float64 x of 5",
        lambda: gradcheck(BuggyTanh.apply, (x64,), eps=1e-6, atol=1e-5, rtol=1e-3))
attempt("gradcheck(Tanh.apply, (x,)) on the correct Tanh, float64", lambda: gradcheck(Tanh.apply, (x64,)))
attempt("gradcheck(torch.tanh, (x,)), correct, float32 x (defaults eps=1e-6, atol=1e-5, rtol=1e-3)", lambda: gradcheck(torch.tanh, (x32,)))
attempt("gradgradcheck(BuggyTanh.apply, (x,)), float64", lambda: gradgradcheck(BuggyTanh.apply, (x64,)))
attempt("gradcheck(BuggyMulAdd.apply, (a, b, c)), float64", lambda: gradcheck(BuggyMulAdd.apply, (a, b, c)))

net = CustomMLP(sigmoid=ForgetfulSigmoid.apply)
inputs = torch.randn(2, 3, dtype=torch.float64)
targets = torch.randn(2, 2, dtype=torch.float64)
names = [n for n, _ in net.named_parameters()]


def loss_of(*params):
    from torch.nn.utils.stateless import functional_call
    return ((functional_call(net, dict(zip(names, params)), (inputs,)) - targets) ** 2).mean()


attempt("gradcheck(MSE of CustomMLP(ForgetfulSigmoid) as a function of its parameters), float64",
        lambda: gradcheck(loss_of, tuple(p.detach().requires_grad_() for p in net.parameters())))
