/**
 * The format tag and tool version every JSON document of the CLI starts with, so a reader can tell
 * which shape it holds (schemas/) and which gradcheck wrote it. The number changes only when a
 * document changes in a way that breaks readers; added fields keep it.
 */
import { VERSION } from './version.js';

/**
 * `gradcheck check --json FILE` (schemas/check-result.schema.json). 2: the cases are tallied and only
 * the notable ones kept (`caseTally`, `notableCases`, `caseReplay`); `cases` moved to --json-cases.
 */
export const CHECK_RESULT_FORMAT = 'gradcheck-check/2';

/** The first line of `gradcheck check --json-cases FILE` (NDJSON; schemas/check-cases.schema.json). */
export const CHECK_CASES_FORMAT = 'gradcheck-check-cases/1';

/** `gradcheck check --function … --json FILE` of a worker of named functions: one entry per checked rule. */
export const FUNCTION_CHECK_FORMAT = 'gradcheck-functions/1';

export function documentHeader(format: string): { readonly format: string; readonly version: string } {
  return { format, version: VERSION };
}
