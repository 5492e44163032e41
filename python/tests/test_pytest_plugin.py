"""The pytest plugin, run by pytester on test files as a user writes them: real gradcheck runs (the
gradcheck command from GRADCHECK_CLI or PATH) on correct and planted-bug torch code. A failure is an
assertion whose message is gradcheck's report; -k, -x, --junitxml and parametrisation behave as usual."""

import os
import re
import xml.etree.ElementTree as ET

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))

TESTS = '''
import pytest
import torch
from torch import nn
import torch_cases
from torch_cases import BuggyMulAdd, BuggyTanh, CustomMLP, ForgetfulSigmoid, MulAdd, Tanh, TanhForwardAD

def test_tanh(gradcheck):
    gradcheck.check_function(Tanh, inputs={"x": ["N"]}, dims={"N": (1, 6)}, runs=20, seed=1)

def test_buggy_tanh(gradcheck):
    gradcheck.check_function(BuggyTanh, inputs={"x": ["N"]}, dims={"N": (1, 6)}, runs=20, seed=1)

def test_muladd_forward_mode(gradcheck):
    gradcheck.check_function(TanhForwardAD, inputs={"x": ["N"]}, dims={"N": (1, 4)}, runs=10, seed=1)

@pytest.mark.parametrize("fn", [MulAdd, BuggyMulAdd])
def test_muladd(gradcheck, fn):
    gradcheck.check_function(fn, inputs={"a": ["N"], "b": ["N"], "c": ["N"]}, dims={"N": (1, 3)}, runs=10, seed=1)

@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_custom_mlp(gradcheck, dtype):
    gradcheck.check_network(CustomMLP(dtype=dtype), activations=["sigmoid", "identity"], runs=20, seed=1)

def test_forgetful_mlp(gradcheck):
    gradcheck.check_network(CustomMLP(sigmoid=ForgetfulSigmoid.apply), activations=["sigmoid", "identity"], runs=20, seed=1)

def test_sequential(gradcheck):
    gradcheck.check_network(nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)), runs=20, seed=1)

def test_numpy_network(gradcheck):
    import os, sys
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(torch_cases.__file__)), "..", "..", "examples", "python"))
    from numpy_mlp import gradients, loss
    gradcheck.check_network(gradients=gradients, loss=loss, conventions={"weightLayout": "in-out"}, name="numpy-mlp", runs=10, seed=1)

def test_conv_parameters(gradcheck):
    gradcheck.check_module_gradients(nn.Conv1d(2, 3, kernel_size=2), inputs={"x": [1, 2, 5]}, runs=5, seed=1)
'''


@pytest.fixture
def suite(pytester):
    pytester.makepyfile(test_suite=TESTS)
    pytester.syspathinsert(HERE)  # torch_cases
    return pytester


def test_correct_code_passes_and_planted_bugs_fail_with_gradchecks_report(suite):
    result = suite.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=8, failed=3)
    out = result.stdout.str()
    for failed in ("test_buggy_tanh", "test_muladd[BuggyMulAdd]", "test_forgetful_mlp"):
        assert f"FAILED test_suite.py::{failed} - AssertionError: gradcheck: " in out
    # The Function: the entry, both values, the shrunk case, and the pytest line that replays it.
    assert "E       AssertionError: gradcheck: BuggyTanh: gradients wrong" in out
    assert "BuggyTanh vjp: FAIL after 1 case" in out
    assert "counterexample: N=1, regime unit" in out
    assert re.search(r"x\[0\]: claimed \S+, numeric \S+ ± \S+, abs err \S+, rel err 9\.9e-3 > tolerance", out)
    assert re.search(r"replay: pytest test_suite.py::test_buggy_tanh --gradcheck-seed 1 --gradcheck-path \S+", out)
    # The swapped operand is named: b's gradient is wrong, a's and c's are right.
    assert re.search(r"\nE +a +1×1 +1 +0 +0 +\[0,0\] .* pass\n", out)
    assert re.search(r"\nE +b +1×1 +1 +0 +0 +\[0,0\] .* FAIL \(1\)\n", out)
    # The module: gradcheck's diagnosis of the missing activation derivative.
    assert "Most likely cause: the activation derivative σ'(z) missing" in out
    assert re.search(r"replay: pytest test_suite.py::test_forgetful_mlp --gradcheck-seed 1 --gradcheck-path \S+", out)


def test_the_replay_line_reproduces_the_failure(suite):
    first = suite.runpytest("-p", "no:cacheprovider", "-k", "buggy_tanh")
    replay = re.search(r"replay: pytest \S+ (--gradcheck-seed \S+) (--gradcheck-path \S+)", first.stdout.str())
    assert replay is not None
    again = suite.runpytest("-p", "no:cacheprovider", "test_suite.py::test_buggy_tanh", *replay.group(1).split(), *replay.group(2).split())
    again.assert_outcomes(failed=1)
    assert "BuggyTanh vjp: FAIL after 1 case" in again.stdout.str()


def test_k_selects_and_x_stops_at_the_first_failure(suite):
    selected = suite.runpytest("-p", "no:cacheprovider", "-k", "muladd and not forward")
    selected.assert_outcomes(passed=1, failed=1)
    stopped = suite.runpytest("-p", "no:cacheprovider", "-x", "-k", "tanh")
    stopped.assert_outcomes(passed=1, failed=1)  # test_tanh passes, test_buggy_tanh stops the run
    assert "stopping after 1 failures" in stopped.stdout.str()


def test_junitxml_records_the_report_as_the_failure_message(suite):
    suite.runpytest("-p", "no:cacheprovider", "-k", "forgetful or sequential", "--junitxml=report.xml")
    root = ET.parse(str(suite.path / "report.xml")).getroot()
    cases = {c.get("name"): c for c in root.iter("testcase")}
    assert sorted(cases) == ["test_forgetful_mlp", "test_sequential"]
    assert cases["test_sequential"].find("failure") is None
    failure = cases["test_forgetful_mlp"].find("failure")
    assert failure.get("message").startswith("AssertionError: gradcheck: CustomMLP: gradients wrong")
    assert "Most likely cause: the activation derivative σ'(z) missing" in failure.text


def test_without_the_gradcheck_command_the_error_says_how_to_install_it(suite, monkeypatch):
    monkeypatch.delenv("GRADCHECK_CLI", raising=False)
    monkeypatch.setenv("PATH", os.path.dirname(os.__file__))  # no gradcheck (nor node) here
    result = suite.runpytest("-p", "no:cacheprovider", "-k", "test_tanh")
    result.assert_outcomes(failed=1)
    assert (
        "gradcheck.pytest_plugin.GradcheckError: gradcheck's Python package needs the gradcheck command (npm), which is not on PATH "
        "and GRADCHECK_CLI is not set; looked for node_modules/.bin/gradcheck in"
    ) in result.stdout.str()
    assert "install it in your project with `npm install --save-dev gradcheck` (Node >= 20.19), or set GRADCHECK_CLI" in result.stdout.str()
