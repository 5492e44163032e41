"""A worker that speaks gradcheck's protocol 1 and misbehaves on purpose, for the fault tests.

    python3 fault_worker.py MODE

MODE picks a process-level fault (see FAULTS below); in mode `ok` it behaves, and the seed of each
case picks a per-case fault instead (see per_case). Plain Python, no NumPy, so it starts quickly.
Its gradients are zeros of the right shapes (the tests check plumbing, not calculus), except
seed 200, which echoes the case's parameters and inputs back (float round-trip test).
"""

import json
import os
import signal
import sys
import time

MODE = sys.argv[1] if len(sys.argv) > 1 else "ok"
HANDSHAKE = {"protocol": 1, "name": f"fault-{MODE}", "conventions": {}, "capabilities": ["gradients", "loss"]}


def send(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def zeros(case):
    parameters = []
    for p in case["parameters"]:
        entry = {"W": [[0.0] * len(row) for row in p["W"]]}
        if "b" in p:
            entry["b"] = [0.0] * len(p["b"])
        parameters.append(entry)
    return {"case": case["id"], "parameters": parameters, "loss": 0.0}


def per_case(case, op):
    seed = case["seed"]
    if op == "loss":
        if seed == 101:
            return {"case": case["id"], "loss": "NaN"}
        if seed == 102:
            return {"case": case["id"], "loss": "-Infinity"}
        if seed == 104:
            return {"case": case["id"], "error": "ZeroDivisionError: float division by zero (at model.py:12 in loss)"}
        return {"case": case["id"], "loss": 0.25}
    result = zeros(case)
    if seed == 101:
        result["parameters"][0]["W"][1][0] = "NaN"
    elif seed == 102:
        result["parameters"][-1]["b"][0] = "Infinity"
    elif seed == 103:  # layer 1's W transposed: out-in where in-out was declared
        W = result["parameters"][0]["W"]
        result["parameters"][0]["W"] = [list(col) for col in zip(*W)]
    elif seed == 104:
        return {"case": case["id"], "error": "ValueError: shapes (3,4) and (2,1) not aligned (at model.py:40 in gradients)"}
    elif seed == 105:
        result["parameters"][0]["W"][0][1] = "abc"
    elif seed == 106:
        result["case"] = case["id"] + 1000
    elif seed == 107:
        result["loss"] = "NaN"
    elif seed == 108:
        del result["parameters"]
    elif seed == 200:
        result = {"case": case["id"], "parameters": case["parameters"], "inputs": case["inputs"]}
    return result


def answer(request):
    send({"id": request["id"], "results": [per_case(c, request["op"]) for c in request["cases"]]})


def flood(megabytes):
    line = "x" * 99 + "\n"
    for k in range(megabytes * 10_000):
        sys.stderr.write(f"{k:08d} {line}")
    sys.stderr.flush()


def serve(on_request):
    """Reads requests until shutdown or end of input; on_request(request, number) answers them."""
    number = 0
    for line in sys.stdin:
        request = json.loads(line)
        if request["op"] == "shutdown":
            return
        number += 1
        on_request(request, number)


def crash(request, number):
    if number == 1:
        return answer(request)
    sys.stderr.write("Traceback (most recent call last):\n  File \"model.py\", line 7, in gradients\nMemoryError: out of memory\n")
    sys.stderr.flush()
    sys.exit(3)


def killed(request, number):
    if number == 1:
        return answer(request)
    os.kill(os.getpid(), signal.SIGKILL)


def not_json(request, number):
    if number == 1:
        return answer(request)
    print("computing gradients for", len(request["cases"]), "cases; this may take a while " + "." * 300, flush=True)


def bare_nan(request, number):
    # Python's default json.dumps writes NaN as a bare token, which is not JSON.
    sys.stdout.write(json.dumps({"id": request["id"], "results": [{"loss": float("nan")} for _ in request["cases"]]}) + "\n")
    sys.stdout.flush()


def flooding(request, number):
    flood(4)  # 4 MB, far more than a pipe buffer: gradcheck must keep draining stderr
    if number == 1:
        return answer(request)
    sys.stderr.write("final words before the crash\n")
    sys.stderr.flush()
    sys.exit(4)


FAULTS = {
    "ok": lambda: serve(lambda request, number: answer(request)),
    "silent": lambda: serve(lambda request, number: None),
    "crash-second": lambda: serve(crash),
    "killed-second": lambda: serve(killed),
    "not-json": lambda: serve(not_json),
    "bare-nan": lambda: serve(bare_nan),
    "flood": lambda: serve(flooding),
    "wrong-id": lambda: serve(lambda request, number: send({"id": request["id"] + 100, "results": []})),
    "results-count": lambda: serve(lambda request, number: send({"id": request["id"], "results": [per_case(request["cases"][0], request["op"])]})),
    "request-error": lambda: serve(lambda request, number: send({"id": request["id"], "error": "MemoryError: batch too large"})),
    "neither": lambda: serve(lambda request, number: send({"id": request["id"]})),
    "bad-envelope": lambda: serve(lambda request, number: send({"id": "one", "results": []})),
    "ignore-shutdown": lambda: (serve(lambda request, number: answer(request)), time.sleep(60)),
    # Never answers, and outlives the end of its input (as a long computation would): only a kill ends it.
    "stubborn": lambda: (serve(lambda request, number: None), time.sleep(60)),
}

if __name__ == "__main__":
    if MODE == "no-handshake":
        sys.stdin.read()
    elif MODE == "exit-before-handshake":
        sys.stderr.write("Traceback (most recent call last):\n  File \"worker.py\", line 1, in <module>\nModuleNotFoundError: No module named 'torch'\n")
        sys.exit(3)
    elif MODE == "banner":
        print("Loading model weights from checkpoint.npz ...", flush=True)
        send(HANDSHAKE)
        serve(lambda request, number: answer(request))
    elif MODE == "wrong-protocol":
        send({**HANDSHAKE, "protocol": 2})
        sys.stdin.read()
    elif MODE == "not-handshake":
        send({"id": 1, "results": []})
        sys.stdin.read()
    elif MODE == "bad-handshake":
        send({"protocol": 1, "name": "half-done", "capabilities": ["loss"], "conventions": {"layout": "out-in"}})
        sys.stdin.read()
    elif MODE == "bad-conventions":
        send({**HANDSHAKE, "conventions": {"returns": "update"}})
        sys.stdin.read()
    elif MODE == "chatty":
        # One write, so both lines reach gradcheck together, before it can send any request.
        sys.stdout.write(json.dumps(HANDSHAKE) + "\n" + json.dumps({"note": "ready for work"}) + "\n")
        sys.stdout.flush()
        serve(lambda request, number: answer(request))
    elif MODE == "no-loss":
        send({**HANDSHAKE, "capabilities": ["gradients"]})
        serve(lambda request, number: answer(request))
    else:
        send(HANDSHAKE)
        if MODE == "ignore-shutdown":
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
        FAULTS[MODE]()
