// The hand-written typings (undercurrent.d.ts, react.d.ts) compile with the TypeScript compiler,
// accept the documented usage, and refuse what they should (test/types/usage.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

test('the typings type-check the documented usage', () => {
  const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));
  const project = fileURLToPath(new URL('./types/tsconfig.json', import.meta.url));
  const result = spawnSync(process.execPath, [tsc, '-p', project], { encoding: 'utf8' });
  assert.equal(result.status, 0, `tsc found problems:\n${result.stdout}${result.stderr}`);
});
