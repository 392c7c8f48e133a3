/**
 * @jest-environment node
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** The budget of the issue: all JavaScript the browser gets (the app and its service worker), gzipped. */
const BUDGET_BYTES = 250 * 1024;
const BUILT = join(__dirname, '..', '..', '..', 'dist', 'apps', 'web');

it('ships at most 250 KB of gzipped JavaScript (the built app, nx build web)', () => {
  expect(existsSync(BUILT)).toBe(true);
  const scripts = readdirSync(BUILT, { recursive: true, encoding: 'utf8' }).filter((name) =>
    name.endsWith('.js'),
  );
  expect(scripts).toContain('sw.js');
  expect(scripts.length).toBeGreaterThan(1);
  const gzipped = scripts.reduce(
    (total, name) => total + gzipSync(readFileSync(join(BUILT, name)), { level: 9 }).length,
    0,
  );
  console.log(`web app JavaScript: ${(gzipped / 1024).toFixed(1)} KB gzipped in ${scripts.length} file(s)`);
  expect(gzipped).toBeLessThanOrEqual(BUDGET_BYTES);
});
