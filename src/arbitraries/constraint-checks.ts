/**
 * Validation shared by the generators' constraint objects. Every message names the generator and the
 * field (`architecture: constraints.maxWidth is 0; expected an integer ≥ 1`), so an impossible request
 * fails before any case is generated.
 */
import { GradcheckError } from '../errors.js';

/** Rejects fields the generator does not know (typos would otherwise be silently ignored). */
export function rejectUnknownFields(where: string, constraints: object | undefined, known: readonly string[]): void {
  if (constraints === undefined) return;
  if (constraints === null || typeof constraints !== 'object' || Array.isArray(constraints)) {
    throw new GradcheckError(where, `constraints is ${show(constraints)}; expected an object`);
  }
  for (const key of Object.keys(constraints)) {
    if (!known.includes(key)) {
      throw new GradcheckError(where, `constraints.${key} is not a constraint of ${where}; expected one of ${known.join(', ')}`);
    }
  }
}

export function integerField(where: string, field: string, value: number | undefined, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer in [${min}, ${max}]`;
    throw new GradcheckError(where, `constraints.${field} is ${show(value)}; expected ${range}`);
  }
  return v;
}

export function orderedPair(where: string, minField: string, min: number, maxField: string, max: number): void {
  if (min > max) {
    throw new GradcheckError(where, `constraints.${minField} is ${min} but constraints.${maxField} is ${max}; expected ${minField} ≤ ${maxField}`);
  }
}

export function positiveNumberField(where: string, field: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
    throw new GradcheckError(where, `constraints.${field} is ${show(value)}; expected a finite number > 0`);
  }
  return v;
}

export function fractionField(where: string, field: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
    throw new GradcheckError(where, `constraints.${field} is ${show(value)}; expected a number in [0, 1]`);
  }
  return v;
}

export function positiveListField(where: string, field: string, value: readonly number[] | undefined, fallback: readonly number[]): readonly number[] {
  const v = value ?? fallback;
  if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === 'number' && Number.isFinite(x) && x > 0)) {
    throw new GradcheckError(where, `constraints.${field} is ${show(value)}; expected a non-empty list of finite numbers > 0`);
  }
  return v;
}

/** A non-empty list drawn from `allowed`; order is kept (shrinking goes towards the first). */
export function choiceListField<T extends string>(where: string, field: string, value: readonly T[] | undefined, fallback: readonly T[], allowed: readonly T[]): readonly T[] {
  const v = value ?? fallback;
  if (!Array.isArray(v) || v.length === 0) {
    throw new GradcheckError(where, `constraints.${field} is ${show(value)}; expected a non-empty list of ${allowed.map((a) => `'${a}'`).join(', ')}`);
  }
  for (const x of v) {
    if (!allowed.includes(x)) {
      throw new GradcheckError(where, `constraints.${field} contains ${show(x)}; expected only ${allowed.map((a) => `'${a}'`).join(', ')}`);
    }
  }
  return v;
}

/** Picks the fields a sub-generator owns out of a combined constraints object. */
export function pickFields<T extends object>(constraints: object, fields: readonly string[]): T {
  return Object.fromEntries(Object.entries(constraints).filter(([k, v]) => fields.includes(k) && v !== undefined)) as T;
}

/** A constraint value as the user wrote it: numbers as numbers (Infinity, NaN), the rest as JSON. */
export function show(value: unknown): string {
  if (typeof value === 'number' || value === undefined) return String(value);
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  return JSON.stringify(value);
}
