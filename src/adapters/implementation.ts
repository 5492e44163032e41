/**
 * The contract a third-party backprop implementation fulfils, in process or through a worker.
 * Everything is plain JSON-friendly arrays, in the layout the implementation declares.
 */
import type { NetworkSpec } from '../engine/dense-layer.js';
import type { Reduction } from '../engine/loss.js';
import type { Conventions } from './conventions.js';

/** One layer's parameters (or their gradients): W in the declared layout, b when the layer has a bias. */
export interface LayerParameters {
  readonly W: number[][];
  readonly b?: number[];
}

/** A network at a point: what an implementation is asked to differentiate. */
export interface GradientCase {
  /** Unique within a run; responses refer to it. */
  readonly id: number;
  /** Seed that generated the case: replays it exactly. */
  readonly seed: number;
  readonly network: NetworkSpec;
  readonly parameters: readonly LayerParameters[];
  /** Batch × inputs. */
  readonly inputs: number[][];
  /** Batch × outputs. */
  readonly targets: number[][];
  readonly reduction: Reduction;
}

/** What an implementation returns for one case: its gradients per layer, and optionally dL/dx and its loss value. */
export interface GradientResult {
  /** Per layer, same shapes as `case.parameters`. */
  readonly parameters: readonly LayerParameters[];
  /** dL/dx (batch × inputs), optional. */
  readonly inputs?: number[][];
  /** The implementation's loss value; when present the forward pass is checked too. */
  readonly loss?: number;
}

/**
 * A third-party implementation under test: a name, its conventions, and a `gradients(case)` method
 * (sync or async). Wrap an object with `defineImplementation` to validate it, or get one from `spawnWorker`.
 *
 * @example
 * ```ts
 * const mine: Implementation = { name: 'mine', conventions: { weightLayout: 'out-in' }, gradients: (c) => myBackprop(c) };
 * ```
 */
export interface Implementation {
  /** Shown in reports and errors. */
  readonly name: string;
  /** How its gradients are laid out and scaled (`Conventions`); every field optional, defaults `DEFAULT_CONVENTIONS`. */
  readonly conventions?: Partial<Conventions>;
  /** Gradients for one case (sync or async). */
  gradients(c: GradientCase): GradientResult | Promise<GradientResult>;
  /** The implementation's own loss; required by `mode: 'self'`. */
  loss?(c: GradientCase): number | Promise<number>;
  /** Batched forms (workers implement these to cut round trips); an entry may be an Error for that case. */
  gradientsMany?(cases: readonly GradientCase[]): Promise<(GradientResult | Error)[]>;
  /** Batched `loss`, as `gradientsMany`. */
  lossMany?(cases: readonly GradientCase[]): Promise<(number | Error)[]>;
  /** Releases resources (a worker process). */
  close?(): Promise<void>;
}
