"""
torch.autograd.gradcheck on the functions bench/compare-functions.ts sends as JSON on stdin; prints JSON.

Input:  {"cases": [{"name", "function": "softmax-cross-entropy" | "conv1d", "inputs": {name: {"shape", "data"}}}],
         "budget_seconds": float, "threads": int}
Output: {"torch": version, "threads": n, "cases": [{"name", "slow": {"seconds", "passed"}, "fast": {...},
          "evaluations": {"slow": calls of f in one check, "fast": ...}, "numeric_error": max |numerical - analytical|}]}

The same functions as examples/typescript/functions/: mean cross-entropy of softmax(z) against a target
distribution p (p held fixed), and a 1-D convolution (F.conv1d: cross-correlation, stride 1, no padding)
of x (C_in x L) by w (C_out x C_in x K) plus b. float64 on the CPU; gradcheck with its defaults
(eps=1e-6, atol=1e-5, rtol=1e-3), checking the full Jacobian of f with respect to every differentiated input.
"""
import json
import sys
import warnings

import torch
import torch.nn.functional as F

# The timing loop and the gradcheck module handle of the network comparison, so both sections time alike.
from torch_gradcheck import GRADCHECK_MODULE, timed  # noqa: E402  (same directory)


def tensor(t, grad):
    return torch.tensor(t["data"], dtype=torch.float64).reshape(t["shape"]).requires_grad_(grad)


def problem(case):
    i = case["inputs"]
    if case["function"] == "softmax-cross-entropy":
        p = tensor(i["p"], False)
        return (lambda z: -(p * F.log_softmax(z, dim=-1)).sum() / z.shape[0]), (tensor(i["z"], True),)
    x, w, b = tensor(i["x"], True), tensor(i["w"], True), tensor(i["b"], True)
    return (lambda x, w, b: F.conv1d(x.unsqueeze(0), w, b).squeeze(0)), (x, w, b)


def counted(f):
    calls = [0]

    def wrapped(*args):
        calls[0] += 1
        return f(*args)

    return wrapped, calls


def numeric_error(f, inputs):
    """max |numerical - analytical| over the whole Jacobian, with slow mode's numerical Jacobian (eps=1e-6)."""
    analytical = torch.autograd.functional.jacobian(f, inputs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        numerical = GRADCHECK_MODULE.get_numerical_jacobian(lambda packed: f(*packed), tuple(inputs), eps=1e-6)
    out_numel = f(*inputs).numel()
    worst = 0.0
    for a, n, x in zip(analytical, numerical, inputs):
        a = a.reshape(out_numel, x.numel()).t()
        worst = max(worst, (n.reshape(x.numel(), out_numel) - a).abs().max().item())
    return worst


def main():
    request = json.load(sys.stdin)
    torch.set_num_threads(request.get("threads", 1))
    budget = request.get("budget_seconds", 1.0)
    results = []
    for case in request["cases"]:
        f, inputs = problem(case)
        entry = {"name": case["name"], "evaluations": {}}
        for mode in ("slow", "fast"):
            fast = mode == "fast"
            seconds, _runs, passed = timed(lambda: torch.autograd.gradcheck(f, inputs, fast_mode=fast), budget)
            g, calls = counted(f)
            torch.autograd.gradcheck(g, inputs, fast_mode=fast)
            entry[mode] = {"seconds": seconds, "passed": bool(passed)}
            entry["evaluations"][mode] = calls[0]
        entry["numeric_error"] = numeric_error(f, inputs)
        results.append(entry)
        print(f"torch: {case['name']} done", file=sys.stderr)
    json.dump({"torch": torch.__version__, "threads": torch.get_num_threads(), "cases": results}, sys.stdout)


if __name__ == "__main__":
    main()
