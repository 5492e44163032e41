/**
 * src/engine/arc4-random.ts against the seedrandom package it replaces in `seededRandom`: the same
 * doubles, draw for draw, for the seeds gradcheck makes (`${seed}:W0`, numbers), an empty seed, seeds
 * longer than the 256-byte key (whose characters wrap onto earlier key bytes) and non-ASCII ones.
 */
import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { arc4Random } from '../../src/engine/arc4-random.js';
import { seededRandom } from '../../src/engine/random-parameters.js';

const seeds = [
  '',
  '0',
  '1',
  '42:W0',
  '160972:b3',
  '2026:kinks',
  'columns',
  'ce-z-32-100',
  'x'.repeat(255),
  'ab'.repeat(300),
  Array.from({ length: 700 }, (_, k) => String.fromCharCode(32 + ((k * 37) % 90))).join(''),
  'ünïcødé ∂L/∂W 😀',
  ...Array.from({ length: 200 }, (_, k) => `${k * 7919}:near-optimum`),
];

describe('arc4Random', () => {
  it('draws what seedrandom(seed) draws, 300 draws for each of 212 seeds', () => {
    for (const seed of seeds) {
      const ours = arc4Random(seed);
      const theirs = seedrandom(seed);
      const a = Array.from({ length: 300 }, () => ours());
      const b = Array.from({ length: 300 }, () => theirs());
      expect([seed, a]).toEqual([seed, b]);
    }
  });
  it('is what seededRandom gives, for numbers as for their strings', () => {
    const a = seededRandom(12345);
    const b = seedrandom('12345');
    for (let k = 0; k < 100; k++) expect(a()).toBe(b());
  });
  it('draws in [0, 1)', () => {
    const r = arc4Random('range');
    const draws = Array.from({ length: 10_000 }, () => r());
    expect(draws.filter((x) => !(x >= 0 && x < 1))).toEqual([]);
  });
});
