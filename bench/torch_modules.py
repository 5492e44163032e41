"""False alarms of gradcheck on correct torch modules: RUNS random nn.Sequential modules per dtype
(an architecture, weights, inputs and targets drawn by gradcheck for each case: 1–4 nn.Linear layers
with sigmoid/ReLU/identity, bias or not, MSE with each reduction), their autograd gradients checked
against the reference engine with the module's dtype declared as the precision. Every case must pass;
a fail or an inconclusive case on this correct code is a false alarm.

    GRADCHECK_CLI="npx tsx src/cli/bin.ts" /usr/bin/python3 bench/torch_modules.py [RUNS] [SEED]

(needs gradcheck's Python package importable: installed from the wheel, or PYTHONPATH=python/src).
"""

import json
import sys
import time

import torch
from torch import nn

from gradcheck import run_worker
from gradcheck.runner import run_check
from gradcheck.torch import PRECISIONS, module_network

LAYERS = {"sigmoid": nn.Sigmoid, "relu": nn.ReLU, "identity": nn.Identity}


def module_for(case, dtype):
    """The nn.Sequential of the case's architecture, in dtype (weights loaded by ModuleNetwork)."""
    layers, width = [], case.network["inputs"]
    for spec, bias in zip(case.network["layers"], case.biases):
        layers += [nn.Linear(width, spec["outputs"], bias=bias is not None), LAYERS[spec["activation"]]()]
        width = spec["outputs"]
    return module_network(nn.Sequential(*layers).to(dtype))


def serve(dtype):
    def gradients(case):
        return module_for(case, dtype).gradients(case)

    def loss(case):
        return module_for(case, dtype).loss(case)

    conventions = {"weightLayout": "out-in", "returns": "gradient", "batch": "batch", "precision": PRECISIONS[dtype]}
    return lambda source, sink: run_worker(f"torch-{PRECISIONS[dtype]}-modules", gradients=gradients, loss=loss, conventions=conventions, stdin=source, stdout=sink)


def main(runs, seed):
    totals = {}
    for dtype in (torch.float32, torch.float64):
        start = time.perf_counter()
        run = run_check(serve(dtype), ["--runs", str(runs), "--seed", str(seed)])
        seconds = time.perf_counter() - start
        verdicts, unsettled = {}, []
        for case in (run.result or {}).get("cases", []):
            verdicts[case.get("verdict")] = verdicts.get(case.get("verdict"), 0) + 1
            if case.get("verdict") != "pass":
                unsettled.append(case.get("run"))
        totals[PRECISIONS[dtype]] = {"exit": run.exit_code, "cases": verdicts, "not passed (runs)": unsettled, "seconds": round(seconds, 1)}
        print(f"{PRECISIONS[dtype]}: exit {run.exit_code}, case verdicts {verdicts}, {seconds:.1f} s")
        print("  " + next((l for l in run.stdout.splitlines() if l.startswith(("PASS", "FAIL", "INCONCLUSIVE"))), run.stderr.strip()[-300:]))
    print(json.dumps(totals))
    return 0 if all(t["exit"] == 0 for t in totals.values()) else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000, int(sys.argv[2]) if len(sys.argv) > 2 else 1))
