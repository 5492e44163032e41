/**
 * `defineImplementation(...)`: checks an in-process implementation object once, up front, so a typo
 * (`gradient` for `gradients`, `layout` for `weightLayout`) fails with a clear message instead of
 * being ignored, and returns it with its conventions resolved.
 */
import { GradcheckError } from '../errors.js';
import { resolveConventions, type Conventions } from './conventions.js';
import type { Implementation } from './implementation.js';

/** An implementation validated by `defineImplementation`, with its conventions resolved. */
export interface DefinedImplementation extends Implementation {
  readonly conventions: Conventions;
}

const WHERE = 'defineImplementation';
const METHODS = ['gradients', 'loss', 'gradientsMany', 'lossMany', 'close'] as const;
const FIELDS = ['name', 'conventions', ...METHODS];
const CONVENTION_FIELDS = ['weightLayout', 'returns', 'learningRate', 'reduction', 'batch', 'precision'];

/**
 * Validates an in-process implementation (its name, methods and conventions; misspelt fields are
 * rejected with the valid ones listed) and resolves its conventions.
 *
 * @example
 * ```ts
 * const impl = defineImplementation({ name: 'mine', gradients: (c) => myBackprop(c) });
 * await assertGradients(impl, { runs: 100 });
 * ```
 */
export function defineImplementation(implementation: Implementation): DefinedImplementation {
  if (implementation === null || typeof implementation !== 'object') {
    throw new GradcheckError(WHERE, `implementation is ${String(implementation)}; expected an object { name, gradients(case), loss?(case), conventions? }`);
  }
  const { name } = implementation;
  if (typeof name !== 'string' || name.trim() === '') {
    throw new GradcheckError(WHERE, `name is ${JSON.stringify(name)}; expected a non-empty string (it names the implementation in reports)`);
  }
  const where = `${WHERE}(${name})`;
  unknownKeys(where, '', Object.keys(implementation).filter((k) => !FIELDS.includes(k)), FIELDS);
  if (typeof implementation.gradients !== 'function') {
    throw new GradcheckError(where, `gradients is ${describe(implementation.gradients)}; expected a function gradients(case) returning { parameters: [{ W, b? }, …], inputs?, loss? }`);
  }
  for (const method of METHODS) {
    const value = implementation[method];
    if (value !== undefined && typeof value !== 'function') {
      throw new GradcheckError(where, `${method} is ${describe(value)}; expected a function or nothing`);
    }
  }
  const declared: unknown = implementation.conventions ?? {};
  if (declared === null || typeof declared !== 'object' || Array.isArray(declared)) {
    throw new GradcheckError(where, `conventions is ${describe(declared)}; expected an object { ${CONVENTION_FIELDS.join(', ')} } (every field optional)`);
  }
  unknownKeys(where, 'conventions.', Object.keys(declared).filter((k) => !CONVENTION_FIELDS.includes(k)), CONVENTION_FIELDS);
  const conventions = resolveConventions(declared as Partial<Conventions>, `${where}: conventions`);
  // Methods stay bound to the user's object (they may use `this`, even private fields).
  const defined: Record<string, unknown> = { name, conventions };
  for (const method of METHODS) {
    const fn = implementation[method] as ((...args: unknown[]) => unknown) | undefined;
    if (fn) defined[method] = fn.bind(implementation);
  }
  return Object.freeze(defined) as unknown as DefinedImplementation;
}

function unknownKeys(where: string, prefix: string, unknown: string[], allowed: readonly string[]): void {
  if (unknown.length === 0) return;
  const key = unknown[0];
  const near = allowed.find((a) => closeTo(a, key));
  const hint = near ? ` (did you mean ${prefix}${near}?)` : '';
  throw new GradcheckError(where, `${prefix}${key} is not a known field${hint}; expected only ${allowed.map((a) => prefix + a).join(', ')}`);
}

/** Same letters up to case, a missing or extra trailing "s", or a known word contained in the key. */
function closeTo(known: string, key: string): boolean {
  const a = known.toLowerCase();
  const b = key.toLowerCase().replace(/[-_]/g, '');
  return a === b || a === `${b}s` || `${a}s` === b || (b.length >= 4 && a.includes(b)) || (a.length >= 4 && b.includes(a));
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  return typeof value === 'object' ? (Array.isArray(value) ? 'an array' : 'an object') : `${typeof value} ${JSON.stringify(value)}`;
}
