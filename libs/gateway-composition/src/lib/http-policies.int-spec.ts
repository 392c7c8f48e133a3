import { startTestApp, type TestApp } from '@todo/testing';
import { ALL_MIGRATIONS, GatewayModule } from './gateway.module';

describe('HTTP policies from configuration', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      imports: [GatewayModule],
      migrations: ALL_MIGRATIONS,
      env: { CORS_ORIGINS: 'https://app.example' },
    });
  });
  afterAll(() => t.close());

  const preflight = (origin: string) =>
    t.api.request('OPTIONS', '/api/v1/tasks', {
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });

  it('answers CORS preflights for configured origins only', async () => {
    const allowed = await preflight('https://app.example');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/Authorization/i);
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('serves Swagger UI with security headers', async () => {
    const ui = await t.api.request('GET', '/api/docs');
    expect(ui.status).toBe(200);
    expect(ui.headers.get('content-type')).toMatch(/text\/html/);
    expect(ui.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(ui.headers.get('strict-transport-security')).toMatch(/max-age=/);
  });

  it.each([
    ['a JSON answer', '/health/live', 200],
    ['an error before any route', '/api/v1/no-such-route', 404],
    ['an error from the guard', '/api/v1/tasks', 401],
  ])('sends the same security headers with %s', async (_, path, status) => {
    const response = await t.api.request('GET', path);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });
});
