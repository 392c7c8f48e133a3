import { serveWebApp } from '@todo/http';
import { startTestApp, type TestApp } from '@todo/testing';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ALL_MIGRATIONS, GatewayModule } from './gateway.module';

describe('the browser app served at / next to the API', () => {
  const dir = mkdtempSync(join(tmpdir(), 'todo-web-dist-'));
  const script = 'console.log("app");'.repeat(50);
  const worker = "self.addEventListener('push', () => undefined);";
  let t: TestApp;
  beforeAll(async () => {
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Todo assistant</title>');
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), script);
    writeFileSync(join(dir, 'assets', 'index-abc123.js.gz'), gzipSync(script));
    writeFileSync(join(dir, 'sw.js'), worker);
    t = await startTestApp({
      imports: [GatewayModule],
      migrations: ALL_MIGRATIONS,
      beforeListen: async (app) => void (await serveWebApp(app, dir)),
    });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html at / and for the app routes, revalidated, under the same CSP', async () => {
    for (const path of ['/', '/tasks/12', '/settings?tab=zone']) {
      const page = await t.api.request('GET', path);
      expect({ path, status: page.status, type: page.headers.get('content-type') }).toEqual({
        path,
        status: 200,
        type: expect.stringMatching(/^text\/html/),
      });
      expect(page.body).toContain('<title>Todo assistant</title>');
      expect(page.headers.get('cache-control')).toBe('no-cache');
      expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    }
  });

  it('sends hashed assets precompressed with a long cache life', async () => {
    const asset = await t.api.request('GET', '/assets/index-abc123.js', {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-encoding')).toBe('gzip');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.body).toBe(script);
  });

  it('serves the service worker at /sw.js (scope: the whole app), revalidated, as JavaScript of this origin', async () => {
    const answer = await t.api.request('GET', '/sw.js');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^(text|application)\/javascript/);
    // Browsers check a worker for updates anyway; no-cache keeps a stale one from lingering.
    expect(answer.headers.get('cache-control')).toBe('no-cache');
    expect(answer.body).toBe(worker);
    // Workers fall back to script-src: the app's own origin is allowed to run one.
    expect(answer.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
  });

  it('leaves the server paths alone: their answers and JSON 404s stay', async () => {
    const missing = await t.api.request('GET', '/api/v1/no-such-thing');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ status: 404, code: 'not_found' });
    for (const path of ['/health/nope', '/metrics/x', '/mcp/x', '/graphql/x', '/realtime/x']) {
      const answer = await t.api.request('GET', path);
      expect({
        path,
        status: answer.status,
        html: /text\/html/.test(answer.headers.get('content-type') ?? ''),
      }).toEqual({ path, status: 404, html: false });
    }
    expect((await t.api.request('GET', '/health/live')).status).toBe(200);
    expect((await t.api.request('GET', '/metrics')).headers.get('content-type')).toMatch(/^text\/plain/);
    expect((await t.api.request('POST', '/settings', { body: {} })).status).toBe(404);
  });
});
