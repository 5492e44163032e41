// The verdict core: precisions, the rounding model's constants, the estimator's retries and kink
// handling, and the judge's four verdicts. Expected values come from the definitions they cite
// (IEEE 754 significand widths, Richardson's coefficients worked by hand, closed-form derivatives).
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { convergesAtRate, estimate, rateWindow } from '../../src/check/numerics/estimator.js';
import { judge } from '../../src/check/numerics/judge.js';
import { PRECISIONS, parsePrecision, roundToPrecision, unitRoundoff } from '../../src/check/numerics/precision.js';
import { CENTRAL_EXPONENTS, ONE_SIDED_EXPONENTS, richardson, richardsonWeights } from '../../src/check/numerics/richardson.js';
import { gamma, noiseGain } from '../../src/check/numerics/rounding.js';
import { richardsonStep, stepFactor } from '../../src/check/numerics/step.js';
import type { Estimate } from '../../src/check/numerics/estimator.js';
import { measureNoise, noiseLevel } from '../../src/check/numerics/noise.js';
import { checkLoss } from '../../src/check/strategies/check-loss.js';

const T = { rtol: 1e-6, atol: 0 };

describe('precisions', () => {
  it('have the unit roundoff 2^−t of their significand width (IEEE 754-2019, bfloat16)', () => {
    expect(PRECISIONS).toEqual(['float64', 'float32', 'float16', 'bfloat16']);
    expect(unitRoundoff('float64')).toBe(Number.EPSILON / 2);
    expect(unitRoundoff('float32')).toBe(2 ** -24);
    expect(unitRoundoff('float16')).toBe(2 ** -11);
    expect(unitRoundoff('bfloat16')).toBe(2 ** -8);
  });

  it('round to their grid, ties to even, float32 exactly as Math.fround', () => {
    for (const x of [0.1, -3.3, 1e-30, 123456.789]) expect(roundToPrecision(x, 'float32')).toBe(Math.fround(x));
    expect(roundToPrecision(0.1, 'float64')).toBe(0.1);
    // float16 near 1 has spacing 2^−10: 1 + 2^−11 is a tie, rounded to the even neighbour 1.
    expect(roundToPrecision(1 + 2 ** -11, 'float16')).toBe(1);
    expect(roundToPrecision(1 + 3 * 2 ** -11, 'float16')).toBe(1 + 2 ** -9);
    // bfloat16 keeps 8 significant bits: 257 → 256 (tie to even), 259 → 260.
    expect(roundToPrecision(257, 'bfloat16')).toBe(256);
    expect(roundToPrecision(259, 'bfloat16')).toBe(260);
  });

  it('rejects a misspelt precision, naming where it came from and the valid ones', () => {
    expect(() => parsePrecision('fp32', 'checkLoss', 'options.precision')).toThrow(
      "checkLoss: options.precision is \"fp32\"; expected one of 'float64', 'float32', 'float16', 'bfloat16'",
    );
  });

  it('set the steps from their machine epsilon: ε^(1/7) for two Richardson levels', () => {
    expect(stepFactor(6, 'float32')).toBeCloseTo(2 ** (-23 / 7), 15);
    expect(richardsonStep(0, 2, 'float32')).toBeCloseTo(0.1025, 4);
  });
});

describe('the rounding model', () => {
  it('γ_k = ku/(1 − ku) (Higham, Lemma 3.1), with no bound once ku ≥ 1', () => {
    expect(gamma(10, 2 ** -24)).toBeCloseTo((10 * 2 ** -24) / (1 - 10 * 2 ** -24), 20);
    expect(gamma(2 ** 24, 2 ** -24)).toBe(Infinity);
  });

  it('Richardson weights are those of the hand-worked tableau', () => {
    // One level: (4·D(h/2) − D(h))/3. Two levels: (64·D(h/4) − 20·D(h/2) + D(h))/45.
    expect([...richardsonWeights(2, CENTRAL_EXPONENTS)].map((w) => w * 3)).toEqual([-1, 4].map((v) => expect.closeTo(v, 12)));
    expect([...richardsonWeights(3, CENTRAL_EXPONENTS)].map((w) => w * 45)).toEqual([1, -20, 64].map((v) => expect.closeTo(v, 12)));
    // One-sided, one level: 2·D(h/2) − D(h).
    expect([...richardsonWeights(2, ONE_SIDED_EXPONENTS)]).toEqual([-1, 2].map((v) => expect.closeTo(v, 12)));
  });

  it('noise gains Σ|c_j|·2^j: 3 for one central level, 297/45 for two; one-sided twice its own sum', () => {
    expect(noiseGain(1, 'central')).toBeCloseTo(3, 12);
    expect(noiseGain(2, 'central')).toBeCloseTo(297 / 45, 12);
    expect(noiseGain(1, 'one-sided')).toBeCloseTo(2 * (1 + 2 * 2), 12);
  });

  it('one Richardson implementation: the allocating form gives the in-place result', () => {
    const r = richardson([1.5, 1.2, 1.1], CENTRAL_EXPONENTS);
    const w = richardsonWeights(3, CENTRAL_EXPONENTS);
    expect(r.value).toBeCloseTo(w[0] * 1.5 + w[1] * 1.2 + w[2] * 1.1, 14);
  });
});

describe('the estimator', () => {
  const f64 = { levels: 2, precision: 'float64' } as const;

  it('a smooth function at the base step: converged, central, no kink, within its own error of the truth', () => {
    const e = estimate((t) => Math.sin(0.7 + t), Math.sin(0.7), 0.7, f64);
    // The base step serves the rate test; the extrapolated estimates start at half of it.
    expect(e).toMatchObject({ method: 'central', converged: true, kink: 'none', step: richardsonStep(0.7, 2) / 2 });
    expect(Math.abs(e.value - Math.cos(0.7))).toBeLessThanOrEqual(e.truncation + e.rounding);
  });

  it('retries a sequence that does not converge at a smaller step (a steep exponential), not 1000× smaller at once', () => {
    // At the base step 5.8e−3, 3000·h ≈ 17: far from the asymptotic regime of the h² series.
    const e = estimate((t) => Math.exp(3000 * t), 1, 0, f64);
    expect(e.converged).toBe(true);
    expect(e.step).toBeLessThan(richardsonStep(0, 2));
    expect(e.step).toBeGreaterThan(richardsonStep(0, 2) / 1000);
    expect(Math.abs(e.value - 3000)).toBeLessThanOrEqual(e.truncation + e.rounding);
  });

  it('a loss with noise far above u·|L|, modelled by its rounding bound: converges, and the bound holds', () => {
    // Noise of 1e−9 on a smooth loss: far above u·|L|, declared through lossRounding.
    let k = 0;
    const noisy = (t: number): number => Math.sin(0.3 + t) + 1e-9 * Math.sin(1e7 * (k++ + t));
    const e = estimate(noisy, Math.sin(0.3), 0.3, { ...f64, lossRounding: () => 1e-9 });
    expect(e.converged).toBe(true);
    expect(Math.abs(e.value - Math.cos(0.3))).toBeLessThanOrEqual(e.truncation + e.rounding);
  });

  it('on a black box, reports |t| at 0 as a kink at θ with both one-sided slopes', () => {
    const e = estimate((t) => Math.abs(t) + 0.5 * t, 0, 0, f64);
    expect(e.kink).toBe('at');
    expect(e.sides!.map((s) => [s.method, s.value])).toEqual([
      ['forward', expect.closeTo(1.5, 9)],
      ['backward', expect.closeTo(-0.5, 9)],
    ]);
  });

  it('computes float32 losses with float32 steps, realised on the float32 grid', () => {
    const f = (t: number): number => Math.fround(Math.fround(1.5 + t) * Math.fround(1.5 + t));
    const e = estimate(f, f(0), 1.5, { levels: 2, precision: 'float32', lossRounding: (l) => 4 * 2 ** -24 * Math.abs(l) });
    expect(e.converged).toBe(true);
    expect(e.step).toBeCloseTo((1.5 * richardsonStep(0, 2, 'float32')) / 2, 12);
    expect(Math.abs(e.value - 3)).toBeLessThanOrEqual(e.truncation + e.rounding);
  });
});

describe('the rate test', () => {
  it('accepts the ratios of an error series whose second term is at most ¼ of the first (worked by hand)', () => {
    // Central, p = 2, q = 4: 4·(0.75 ∓ 0.234375)/(0.75 ∓ 0.05859375).
    const [lo, hi] = rateWindow(2, 4);
    expect(lo).toBeCloseTo((4 * (0.75 - 0.234375)) / (0.75 - 0.05859375), 12);
    expect(hi).toBeCloseTo((4 * (0.75 + 0.234375)) / (0.75 + 0.05859375), 12);
    // One-sided, p = 1, q = 2: 2·(0.5 ∓ 0.1875)/(0.5 ∓ 0.09375).
    const [a, b] = rateWindow(1, 2);
    expect(a).toBeCloseTo((2 * 0.3125) / 0.40625, 12);
    expect(b).toBeCloseTo((2 * 0.6875) / 0.59375, 12);
  });

  it('a pure h² series converges; three estimates that merely shrink do not', () => {
    expect(convergesAtRate([1 + 1, 1 + 1 / 4, 1 + 1 / 16, 1 + 1 / 64], 2, 0)).toBe(true);
    // Differences 1, 0.45, 0.1: ratios 2.2 and 4.5, the first outside the window.
    expect(convergesAtRate([2.55, 1.55, 1.1, 1.0], 2, 0)).toBe(false);
  });
});

describe('the judge', () => {
  const converged: Estimate = { value: 2, truncation: 1e-10, rounding: 1e-10, step: 1e-3, method: 'central', converged: true, kink: 'none' };

  it('passes within uncertainty + rtol·max + atol + claimed rounding, fails beyond', () => {
    const tol = 2e-10 + 1e-6 * 2;
    expect(judge(2 + 0.99 * tol, converged, T).verdict).toBe('pass');
    expect(judge(2 + 1.01 * tol, converged, T).verdict).toBe('fail');
    expect(judge(2 + 1.01 * tol, converged, T, 0.1 * tol).verdict).toBe('pass');
    expect(judge(2 + 1.01 * tol, converged, { rtol: 1e-6, atol: 0.1 * tol }).verdict).toBe('pass');
    expect(judge(2, converged, T).tolerance).toBeCloseTo(tol, 20);
  });

  it('an unconverged estimate is unresolved whatever the claim: never a pass, never a fail', () => {
    const open = { ...converged, converged: false };
    expect(judge(2, open, T).verdict).toBe('unresolved');
    expect(judge(-2, open, T).verdict).toBe('unresolved');
  });

  const atKink: Estimate = {
    ...converged,
    converged: false,
    kink: 'at',
    sides: [
      { value: 1, truncation: 0, rounding: 1e-12, method: 'forward', converged: true },
      { value: 0, truncation: 0, rounding: 1e-12, method: 'backward', converged: true },
    ],
  };

  it('θ on a kink: a one-sided value passes, a value between them passes (a subgradient), one outside fails', () => {
    expect(judge(1, atKink, T)).toMatchObject({ verdict: 'pass', method: 'forward' });
    expect(judge(0, atKink, T)).toMatchObject({ verdict: 'pass', method: 'backward' });
    expect(judge(0.5, atKink, T)).toMatchObject({ verdict: 'pass', numeric: 0.5 });
    expect(judge(-1, atKink, T).verdict).toBe('fail');
    expect(judge(1.5, atKink, T).verdict).toBe('fail');
  });

  it('θ on several kinks at once: a claim outside the one-sided values is unresolved, not failed', () => {
    expect(judge(-1, { ...atKink, kinkUnits: 2 }, T).verdict).toBe('unresolved');
  });

  // Several units on kinks, with the engine's interval of valid conventions [−1.5, 1] (rounding 1e-15).
  const several: Estimate = { ...atKink, kinkUnits: 2 };
  const interval = { lower: -1.5, upper: 1, rounding: 1e-15 };

  it('several units on kinks, with the engine\'s interval: inside passes, beyond it by 1% of its width fails', () => {
    expect(judge(-1, several, T, 0, interval)).toMatchObject({ verdict: 'pass', numeric: -1 });
    expect(judge(-1.5, several, T, 0, interval)).toMatchObject({ verdict: 'pass', numeric: -1.5 });
    // Just beyond the endpoint but within its rounding plus the allowance (rtol·1.5 = 1.5e-6): passes.
    expect(judge(-1.5 - 1e-6, several, T, 0, interval).verdict).toBe('pass');
    // 1% of the width 2.5 is 0.025, far beyond the allowance: fails, compared with the endpoint.
    expect(judge(-1.5 - 0.025, several, T, 0, interval)).toMatchObject({ verdict: 'fail', numeric: -1.5 });
    expect(judge(1 + 0.025, several, T, 0, interval)).toMatchObject({ verdict: 'fail', numeric: 1 });
    // The claimed side's rounding widens the endpoint's tolerance as it does every comparison's.
    expect(judge(1 + 0.025, several, T, 0.03, interval).verdict).toBe('pass');
  });

  it('several units on kinks: an interval that a converged side lies outside is not used (the measured hull only, outside unresolved)', () => {
    const wrong = { lower: 0.25, upper: 0.75, rounding: 1e-15 };
    expect(judge(-1, several, T, 0, wrong).verdict).toBe('unresolved');
    expect(judge(0.5, several, T, 0, wrong).verdict).toBe('pass');
  });

  it('several units on kinks, one side unconverged: an interval the converged side confirms is used', () => {
    const oneSide: Estimate = { ...several, sides: [several.sides![0], { ...several.sides![1], converged: false }] };
    expect(judge(-1, oneSide, T, 0, interval).verdict).toBe('pass');
    expect(judge(-2, oneSide, T, 0, interval).verdict).toBe('fail');
    expect(judge(-1, oneSide, T).verdict).toBe('unresolved');
  });

  it('one unit on its kink is the same rule with the interval [min(d₋, d₊), max(d₋, d₊)] measured', () => {
    // The engine's interval for one unit is that hull, so giving it changes nothing.
    const hull = { lower: 0, upper: 1, rounding: 1e-15 };
    for (const claim of [-1, -1e-7, 0, 0.5, 1, 1 + 1e-7, 1.5]) expect(judge(claim, atKink, T, 0, hull).verdict).toBe(judge(claim, atKink, T).verdict);
  });

  it('one side unconverged: the converged side passes, anything else is unresolved', () => {
    const oneSide: Estimate = { ...atKink, sides: [atKink.sides![0], { ...atKink.sides![1], converged: false }] };
    expect(judge(1, oneSide, T).verdict).toBe('pass');
    expect(judge(0.5, oneSide, T).verdict).toBe('unresolved');
    expect(judge(0, oneSide, T).verdict).toBe('unresolved');
  });
});

describe('the noise of a black box (Moré & Wild ECnoise)', () => {
  it('γ_k = (k!)²/(2k)!: white noise of σ = 1 in its k-th differences reads as σ ≈ 1 at every level', () => {
    // A deterministic ±1 sequence with no smooth part: every level estimates σ = 1 within the test's factor.
    const samples = [1, -1, 1, 1, -1, -1, 1, -1, 1].map((e) => 1000 + e);
    expect(noiseLevel(samples).sigma).toBeGreaterThan(0.5);
    expect(noiseLevel(samples).sigma).toBeLessThan(2);
  });

  it('reads synthetic noise of amplitude 1e-9 within a factor 2', () => {
    const noisy = (t: number): number => Math.sin(0.3 + t) + 2e-9 * (seedrandom(String(t))() - 0.5);
    const { sigma } = measureNoise(noisy, 1, 'float64');
    // Uniform noise on [−1e-9, 1e-9] has σ = 1e-9/√3.
    expect(sigma! / (1e-9 / Math.sqrt(3))).toBeGreaterThan(0.5);
    expect(sigma! / (1e-9 / Math.sqrt(3))).toBeLessThan(2);
  });

  it('reads a smooth float64 function as noise below u·|f|', () => {
    const { sigma } = measureNoise((t) => 1e3 * Math.sin(0.3 + t) + 5, 1, 'float64');
    expect(sigma).toBeGreaterThan(0);
    expect(sigma!).toBeLessThan(1e3 * 2 ** -53);
  });

  it('does not mistake kinks along the line for noise (the level must hold at a 16× smaller spacing)', () => {
    const point = [0, 0.5, -2e-9, 1e-9];
    const kinks = (t: number): number => point.reduce((sum, v) => sum + Math.abs(v + 0.5 * t), 0);
    expect(measureNoise(kinks, 1, 'float64').sigma).toBeUndefined();
  });

  it('a noisy black box: a correct claim is not failed, a claim 1% wrong is caught', () => {
    // Deterministic noise of amplitude 1e-7, as uncorrelated from point to point as rounding is.
    const loss = (t: Float64Array): number => (t[0] - 1) ** 2 + 3 * t[1] ** 2 + 1e-7 * (seedrandom(`${t[0]},${t[1]}`)() - 0.5);
    const point = Float64Array.from([2.5, -1.5]);
    const correct = Float64Array.from([3, -9]);
    const report = checkLoss({ loss, point, claimed: correct });
    expect(report.verdict).not.toBe('fail');
    expect(report.lossNoise).toBeGreaterThan(1e-8);
    const wrong = checkLoss({ loss, point, claimed: Float64Array.from([3, -9 * 1.01]) });
    expect(wrong.verdict).toBe('fail');
    expect(wrong.failures.map((f) => f.index)).toEqual([1]);
  });
});
