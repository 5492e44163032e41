"""
torch.autograd.gradcheck on the networks bench/compare.ts sends as JSON on stdin; prints JSON results.

Input:  {"networks": [{"name", "sizes", "batch", "weights": [[...] per layer, row-major inputs x outputs],
          "biases": [[...] per layer], "x": [...] (batch x inputs, row-major), "y": [...] (batch x outputs)}],
         "budget_seconds": float, "threads": int}
Output: {"torch": version, "threads": n, "networks": [{"name", "entries", "slow": {...}, "fast": {...},
          "numeric_error": max |numerical - analytical| over every entry, "max_rss_kb": peak RSS so far}]}

Same model as the reference engine: z = a @ W + b (W is inputs x outputs), sigmoid hidden layers,
identity output, loss = mean((y_hat - y)^2) over all batch x outputs elements; float64 on the CPU.
gradcheck is called with its defaults (eps=1e-6, atol=1e-5, rtol=1e-3) and fast_mode False or True,
checking every weight, bias and the input batch, as gradcheck's full check does.
"""
import json
import resource
import sys
import time
import warnings

import torch

# torch.autograd.gradcheck is also the name of the function; the module holds the numerical Jacobian.
GRADCHECK_MODULE = sys.modules["torch.autograd.gradcheck"]


def tensors(net):
    sizes, batch = net["sizes"], net["batch"]
    params = []
    for l in range(len(sizes) - 1):
        w = torch.tensor(net["weights"][l], dtype=torch.float64).reshape(sizes[l], sizes[l + 1])
        b = torch.tensor(net["biases"][l], dtype=torch.float64)
        params += [w.requires_grad_(), b.requires_grad_()]
    x = torch.tensor(net["x"], dtype=torch.float64).reshape(batch, sizes[0]).requires_grad_()
    y = torch.tensor(net["y"], dtype=torch.float64).reshape(batch, sizes[-1])
    return params + [x], y


def loss_function(depth, y):
    def loss(*args):
        a = args[-1]
        for l in range(depth):
            z = a @ args[2 * l] + args[2 * l + 1]
            a = torch.sigmoid(z) if l < depth - 1 else z
        return ((a - y) ** 2).mean()

    return loss


def timed(call, budget):
    """Mean seconds per call: repeated until `budget` seconds have passed (at least once)."""
    seconds, _cpu, runs, result = timed_cpu(call, budget)
    return seconds, runs, result


def timed_cpu(call, budget):
    """Mean wall and CPU seconds per call (the process's CPU time, which other jobs on a shared machine
    do not inflate): repeated until `budget` wall seconds have passed (at least once)."""
    runs, start, cpu = 0, time.perf_counter(), time.process_time()
    result = None
    while True:
        result = call()
        runs += 1
        elapsed = time.perf_counter() - start
        if elapsed >= budget:
            return elapsed / runs, (time.process_time() - cpu) / runs, runs, result


def numeric_error(loss, inputs):
    """max |numerical - analytical| with gradcheck's own slow-mode numerical Jacobian (eps=1e-6)."""
    value = loss(*inputs)
    analytical = torch.autograd.grad(value, inputs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # get_numerical_jacobian is deprecated, but it is what slow mode computes
        numerical = GRADCHECK_MODULE.get_numerical_jacobian(lambda packed: loss(*packed), tuple(inputs), eps=1e-6)
    worst = 0.0
    for a, n in zip(analytical, numerical):
        worst = max(worst, (n.reshape(-1) - a.reshape(-1)).abs().max().item())
    return worst


def main():
    request = json.load(sys.stdin)
    torch.set_num_threads(request.get("threads", 1))
    budget = request.get("budget_seconds", 1.0)
    results = []
    for net in request["networks"]:
        inputs, y = tensors(net)
        loss = loss_function(len(net["sizes"]) - 1, y)
        entry = {"name": net["name"], "entries": sum(t.numel() for t in inputs)}
        for mode in ("slow", "fast"):
            seconds, cpu_seconds, runs, passed = timed_cpu(lambda: torch.autograd.gradcheck(loss, tuple(inputs), fast_mode=(mode == "fast")), budget)
            entry[mode] = {"seconds": seconds, "cpu_seconds": cpu_seconds, "runs": runs, "passed": bool(passed)}
        entry["numeric_error"] = numeric_error(loss, inputs)
        entry["max_rss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        results.append(entry)
        print(f"torch: {net['name']} done", file=sys.stderr)
    json.dump({"torch": torch.__version__, "threads": torch.get_num_threads(), "networks": results}, sys.stdout)


if __name__ == "__main__":
    main()
