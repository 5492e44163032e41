/**
 * A zod issue as gradcheck's error style: `parameters[0].W[1][2] is "abc"; expected a number …`.
 */
import type { z } from 'zod';

const ARTICLES: Record<string, string> = {
  array: 'an array',
  object: 'an object',
  number: 'a number',
  string: 'a string',
  int: 'an integer',
  boolean: 'true or false',
};

export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

/** Describes a value found in a message, briefly: strings quoted, long values cut. */
export function describeValue(value: unknown, max = 60): string {
  if (value === undefined) return 'missing';
  const text = typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export function formatIssue(issue: z.core.$ZodIssue, subject = 'the message'): string {
  const path = issue.path.length > 0 ? formatPath(issue.path) : subject;
  if (issue.code === 'unrecognized_keys') {
    return `${path} has unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}; expected ${expectation(issue)}`;
  }
  const input = (issue as { input?: unknown }).input;
  const found = input === undefined ? 'is missing' : `is ${describeValue(input)}`;
  return `${path} ${found}; expected ${expectation(issue)}`;
}

/** The first issue, and how many more there are. */
export function formatIssues(issues: readonly z.core.$ZodIssue[], subject = 'the message'): string {
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  return `${formatIssue(issues[0], subject)}${more}`;
}

function expectation(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      // zod's default text is "Invalid input: expected number, received string"; ours is set per schema.
      return issue.message.startsWith('Invalid input') ? (ARTICLES[issue.expected] ?? issue.expected) : issue.message;
    case 'invalid_value':
      return issue.message.startsWith('Invalid') ? `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}` : issue.message;
    case 'unrecognized_keys':
      return issue.message.startsWith('Unrecognized') ? 'only the fields in docs/protocol.md' : issue.message;
    default:
      return issue.message;
  }
}
