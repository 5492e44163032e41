"""gradcheck.worker, the protocol's Python side, spoken to directly over in-memory streams."""

import io
import json

import gradcheck
from gradcheck import Function, Unsupported, run_function_worker, run_worker

CASE = {
    "id": 7, "seed": 3,
    "network": {"inputs": 1, "layers": [{"outputs": 1, "activation": "identity"}]},
    "parameters": [{"W": [[2.0]], "b": [0.5]}],
    "inputs": [[1.0]], "targets": [[0.0]], "reduction": "half-sum",
}


def converse(serve, *requests):
    source = io.StringIO("".join(json.dumps(r) + "\n" for r in requests))
    sink = io.StringIO()
    serve(source, sink)
    return [json.loads(line) for line in sink.getvalue().splitlines()]


def test_the_handshake_carries_the_package_version_which_is_the_npm_version():
    import os
    package_json = os.path.join(os.path.dirname(__file__), "..", "..", "package.json")
    lines = converse(lambda i, o: run_worker("w", gradients=lambda c: {}, stdin=i, stdout=o))
    assert lines[0] == {"protocol": 1, "name": "w", "helperVersion": gradcheck.__version__, "conventions": {}, "capabilities": ["gradients"]}
    if os.path.exists(package_json):  # in a checkout; the installed wheel is held to it by test/python
        assert gradcheck.__version__ == json.load(open(package_json))["version"]


def test_answers_gradients_and_turns_exceptions_and_unsupported_into_per_case_results():
    def gradients(case):
        if case.id == 8:
            raise Unsupported("not this one")
        if case.id == 9:
            raise ValueError("boom")
        # L = ½ (w x + b)², dL/dw = (w x + b) x = 2.5, dL/db = 2.5
        return {"weights": [[[2.5]]], "biases": [[2.5]], "loss": 3.125}

    cases = [CASE, {**CASE, "id": 8}, {**CASE, "id": 9}]
    _, answer = converse(lambda i, o: run_worker("w", gradients=gradients, stdin=i, stdout=o), {"id": 1, "op": "gradients", "cases": cases}, {"id": 2, "op": "shutdown"})
    assert answer["id"] == 1
    assert answer["results"][0] == {"case": 7, "parameters": [{"W": [[2.5]], "b": [2.5]}], "loss": 3.125}
    assert answer["results"][1] == {"case": 8, "unsupported": "not this one"}
    assert answer["results"][2]["error"].startswith("ValueError: boom (at test_worker.py:")


def test_a_helper_error_is_located_in_the_package_not_in_a_user_file_named_worker_py():
    _, answer = converse(lambda i, o: run_worker("w", gradients=lambda c: [1], stdin=i, stdout=o), {"id": 1, "op": "gradients", "cases": [CASE]})
    assert "(at gradcheck/worker.py:" in answer["results"][0]["error"]


def test_non_finite_numbers_travel_as_strings():
    _, answer = converse(
        lambda i, o: run_worker("w", gradients=lambda c: {"weights": [[[float("nan")]]], "biases": [[float("inf")]]}, stdin=i, stdout=o),
        {"id": 1, "op": "gradients", "cases": [CASE]},
    )
    assert answer["results"][0]["parameters"] == [{"W": [["NaN"]], "b": ["Infinity"]}]


def test_function_worker_lists_its_functions_and_answers_evaluate_and_vjp():
    square = Function("square", lambda x: x * x, vjp=lambda inputs, ct: {"x": 2 * inputs["x"] * ct["y"]}, inputs={"x": ["N"]}, dims={"N": (1, 3)})
    tensor = {"shape": [2], "data": [1.0, -3.0]}
    hello, evaluated, vjp = converse(
        lambda i, o: run_function_worker("fns", [square], stdin=i, stdout=o),
        {"id": 1, "op": "evaluate", "cases": [{"id": 1, "function": "square", "inputs": {"x": tensor}}]},
        {"id": 2, "op": "vjp", "cases": [{"id": 2, "function": "square", "inputs": {"x": tensor}, "cotangent": {"y": {"shape": [2], "data": [1.0, 0.5]}}}]},
    )
    assert hello["helperVersion"] == gradcheck.__version__
    assert hello["functions"] == [{"name": "square", "inputs": {"x": {"shape": ["N"]}}, "dims": {"N": {"min": 1, "max": 3}}}]
    assert evaluated["results"] == [{"case": 1, "outputs": {"y": {"shape": [2], "data": [1.0, 9.0]}}}]
    assert vjp["results"] == [{"case": 2, "vjp": {"x": {"shape": [2], "data": [2.0, -3.0]}}}]


def test_the_package_is_typed():
    import os
    assert os.path.exists(os.path.join(os.path.dirname(gradcheck.__file__), "py.typed"))
