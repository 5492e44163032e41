// The public API is what the committed reports in api/ say it is: a change of exported names or
// signatures fails here until `npm run api` rewrites the report, so it shows in review. And every
// public name is documented: TypeDoc's validation (typedoc.json, `npm run docs`) fails on any that is not;
// and nothing is exported, installed or written that nothing uses (knip).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO, packTarball } from './packed.js';

beforeAll(() => {
  // npm pack builds dist/ (prepack), whose .d.ts files the reports are made from.
  packTarball();
}, 300_000);

describe('the public API', () => {
  for (const config of ['api-extractor.json', 'api-extractor.vitest.json']) {
    it(`matches its committed report (${config}; run \`npm run api\` after an intended change)`, () => {
      const prepared = ExtractorConfig.loadFileAndPrepare(join(REPO, config));
      const messages: string[] = [];
      const result = Extractor.invoke(prepared, {
        localBuild: false,
        messageCallback: (m) => {
          if (m.logLevel === 'error' || m.logLevel === 'warning') messages.push(m.text);
          m.handled = true;
        },
      });
      expect(result.apiReportChanged, messages.join('\n')).toBe(false);
      expect(result.succeeded, messages.join('\n')).toBe(true);
    }, 120_000);
  }

  it('documents every exported name (TypeDoc validation)', () => {
    let output = '';
    try {
      execFileSync('npx', ['typedoc', '--emit', 'none', '--treatValidationWarningsAsErrors'], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string };
      output = `${e.stdout ?? ''}${e.stderr ?? ''}`.replace(/\x1b\[[0-9;]*m/g, '');
    }
    expect(output, 'typedoc reported undocumented or unexported public names').toBe('');
  }, 120_000);

  it('has no unused files, exports or dependencies (knip, knip.jsonc)', () => {
    let output = '';
    try {
      execFileSync('npx', ['knip', '--no-progress'], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string };
      output = `${e.stdout ?? ''}${e.stderr ?? ''}`.replace(/\x1b\[[0-9;]*m/g, '');
    }
    expect(output, 'knip found unused code').toBe('');
  }, 120_000);
});
