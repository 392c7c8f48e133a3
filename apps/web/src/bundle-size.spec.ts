/**
 * @jest-environment node
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** The budget of the issue: all JavaScript a first visit downloads, gzipped. */
const BUDGET_BYTES = 250 * 1024;
const ASSETS = join(__dirname, '..', '..', '..', 'dist', 'apps', 'web', 'assets');

it('ships at most 250 KB of gzipped JavaScript (the built app, nx build web)', () => {
  expect(existsSync(ASSETS)).toBe(true);
  const scripts = readdirSync(ASSETS).filter((name) => name.endsWith('.js'));
  expect(scripts.length).toBeGreaterThan(0);
  const gzipped = scripts.reduce(
    (total, name) => total + gzipSync(readFileSync(join(ASSETS, name)), { level: 9 }).length,
    0,
  );
  console.log(`web app JavaScript: ${(gzipped / 1024).toFixed(1)} KB gzipped in ${scripts.length} file(s)`);
  expect(gzipped).toBeLessThanOrEqual(BUDGET_BYTES);
});
