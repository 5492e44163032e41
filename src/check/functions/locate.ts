/**
 * Names entries of a flat vector by tensor and multi-index: `x[1,2]` for entry 5 of a 2×3 input.
 */
import type { EntryCheck } from '../report/report.js';
import { indexText, multiIndex } from './tensor.js';
import type { TensorSlot } from './differentiable-function.js';
import type { LocatedEntry } from './function-report.js';

/** The slot holding flat index `k` and the entry's multi-index in it. */
export function locateSlot(slots: readonly TensorSlot[], k: number): { slot: TensorSlot; index: number[] } {
  for (const slot of slots) {
    if (k >= slot.offset && k < slot.offset + slot.size) return { slot, index: multiIndex(slot.shape, k - slot.offset) };
  }
  throw new RangeError(`locateSlot: index ${k} is in no tensor`);
}

/** A VJP entry (an input's gradient entry) located by input name and index. */
export function locateInputEntry(slots: readonly TensorSlot[], entry: EntryCheck): LocatedEntry {
  if (entry.index < 0) return { entry, input: entry.tensor, label: `${entry.tensor} dir ${entry.direction}` };
  const { slot, index } = locateSlot(slots, entry.index);
  return { entry, input: slot.name, inputIndex: index, label: indexText(slot.name, index) };
}
