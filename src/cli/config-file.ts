/**
 * `gradcheck check --config FILE`: a JSON file `{ "supports": { … } }` with the same case constraints
 * as the flags and the handshake (docs/cli.md). Every problem names the file and the JSON path:
 * `gradcheck.config.json: supports.bias is "yes"; expected true (every layer), false (none) or "mixed"`.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { GradcheckError } from '../errors.js';
import { SUPPORT_BOUNDS, SUPPORT_CAPS, type Supports } from '../arbitraries/supports.js';
import { formatIssues } from '../adapters/subprocess/format-issue.js';
import { supportsSchema } from '../adapters/subprocess/schemas.js';

const configSchema = z.strictObject(
  { $schema: z.string({ error: 'a string' }).optional(), supports: supportsSchema.optional() },
  { error: 'an object { "supports": { … } }' },
);

export function loadConfig(file: string): Supports {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new GradcheckError(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); expected a JSON file such as { "supports": { "activations": ["sigmoid"] } }`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new GradcheckError(file, `is not JSON: ${(error as Error).message}`);
  }
  const parsed = configSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) throw new GradcheckError(file, formatIssues(parsed.error.issues, 'the file'));
  const supports = parsed.data.supports ?? {};
  for (const field of SUPPORT_BOUNDS.flat()) {
    const v = supports[field];
    if (v !== undefined && v > SUPPORT_CAPS[field]) throw new GradcheckError(file, `supports.${field} is ${v}; expected an integer in [1, ${SUPPORT_CAPS[field]}] (the largest gradcheck draws)`);
  }
  return supports;
}
