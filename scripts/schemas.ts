/**
 * `npm run schemas`: writes schemas/*.json, the JSON Schemas (draft 2020-12) of the worker protocol and
 * of `gradcheck check --json` / `--json-cases`, from the zod schemas the code is typed by, with zod's
 * `z.toJSONSchema`. test/cli/schemas.test.ts fails when a committed file differs from what this writes.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { protocolMessageSchema, protocolRegistry } from '../src/adapters/subprocess/protocol-schema.js';
import { caseLineSchema, checkResultRegistry, checkResultSchema } from '../src/cli/check-result-schema.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The keywords a reader looks for first, in this order; the rest as zod writes them. */
const HEAD = ['$schema', '$id', 'title', 'description'];

function render(schema: z.ZodType, metadata: z.core.$ZodRegistry<Record<string, unknown>>): string {
  // io 'input': what a reader may be handed (unknown fields allowed where the zod object allows them).
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', metadata }) as Record<string, unknown>;
  const ordered = Object.fromEntries([...HEAD.filter((k) => k in json).map((k) => [k, json[k]]), ...Object.entries(json).filter(([k]) => !HEAD.includes(k))]);
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/** Each file of schemas/ by name, with the text this script writes. */
export function schemaFiles(): Record<string, string> {
  return {
    'protocol.schema.json': render(protocolMessageSchema, protocolRegistry),
    'check-result.schema.json': render(checkResultSchema, checkResultRegistry),
    'check-cases.schema.json': render(caseLineSchema, checkResultRegistry),
  };
}

function main(): void {
  for (const [name, text] of Object.entries(schemaFiles())) {
    writeFileSync(join(ROOT, 'schemas', name), text);
    process.stdout.write(`wrote schemas/${name}\n`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
