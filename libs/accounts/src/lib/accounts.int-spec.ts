import { ACCOUNTS_MIGRATIONS } from './accounts-migrations';
import { AccountsModule } from './accounts.module';
import { GraphqlServerModule } from '@todo/graphql';
import { startTestApp, type TestApp } from '@todo/testing';

/** The accounts schema has no lists, so the cost estimate never uses these sizes. */
const NO_LISTS = { listLength: 1, pageLength: 1 };

describe('accounts (REST + GraphQL, real PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      imports: [GraphqlServerModule.forRoot(NO_LISTS), AccountsModule],
      migrations: ACCOUNTS_MIGRATIONS,
    });
  });
  afterAll(() => t.close());

  it('registers, then signs in with the same credentials, case-insensitively', async () => {
    const registered = await t.api.request('POST', '/api/v1/auth/register', {
      body: {
        email: ' Grace@Example.COM ',
        password: 'analytical engine',
        name: 'Grace',
        time_zone: 'Europe/Berlin',
      },
    });
    expect(registered.status).toBe(201);
    expect(registered.body.user).toMatchObject({
      email: 'grace@example.com',
      name: 'Grace',
      time_zone: 'Europe/Berlin',
    });
    expect(registered.body.user).not.toHaveProperty('password_hash');
    expect(registered.body.access_token).toEqual(expect.any(String));

    const login = await t.api.request('POST', '/api/v1/auth/login', {
      body: { email: 'GRACE@example.com', password: 'analytical engine' },
    });
    expect(login.status).toBe(200);
    expect(login.body.user.id).toBe(registered.body.user.id);

    const me = await t.api.request('GET', '/api/v1/me', { token: login.body.access_token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: 'grace@example.com', time_zone: 'Europe/Berlin' });
  });

  it('rejects a wrong password and an unknown email with the same 401', async () => {
    const { email } = await t.api.register();
    const wrong = await t.api.request('POST', '/api/v1/auth/login', {
      body: { email, password: 'not the password' },
    });
    const unknown = await t.api.request('POST', '/api/v1/auth/login', {
      body: { email: 'nobody@example.com', password: 'whatever1' },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error.message).toBe('The email or password is wrong');
    expect(unknown.body.error.message).toBe(wrong.body.error.message);
  });

  it('refuses a second account with the same email (409)', async () => {
    const { email } = await t.api.register();
    const again = await t.api.request('POST', '/api/v1/auth/register', {
      body: { email: email.toUpperCase(), password: 'another password' },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/already exists/);
  });

  it.each([
    [{ email: 'not-an-email', password: 'long enough' }, 'email'],
    [{ email: 'a@example.com', password: 'short' }, 'password'],
    [{ email: 'a@example.com', password: 'long enough', time_zone: 'Mars/Olympus' }, 'time_zone'],
    [{ email: 'a@example.com', password: 'long enough', is_admin: true }, ''],
    [{ email: 42, password: 'long enough' }, 'email'],
  ])('rejects invalid registration %j with a 400 naming the field', async (body, field) => {
    const response = await t.api.request('POST', '/api/v1/auth/register', { body });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('validation_failed');
    expect(response.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
  });

  it('updates name and time zone, and validates them', async () => {
    const { token } = await t.api.register();
    const updated = await t.api.request('PATCH', '/api/v1/me', {
      token,
      body: { name: 'Ada', time_zone: 'Asia/Tokyo' },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: 'Ada', time_zone: 'Asia/Tokyo' });
    const bad = await t.api.request('PATCH', '/api/v1/me', { token, body: { time_zone: 'Tokyo' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/time_zone: must be an IANA time zone/);
    const empty = await t.api.request('PATCH', '/api/v1/me', { token, body: {} });
    expect(empty.status).toBe(400);
  });

  it('requires a valid bearer token', async () => {
    expect((await t.api.request('GET', '/api/v1/me')).status).toBe(401);
    expect((await t.api.request('GET', '/api/v1/me', { token: 'not.a.jwt' })).status).toBe(401);
    const forged =
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIwMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDAifQ.bogus-signature';
    expect((await t.api.request('GET', '/api/v1/me', { token: forged })).status).toBe(401);
  });

  it('offers the same operations over GraphQL', async () => {
    const register = await t.api.graphql(
      `mutation($input: RegisterInput!) { register(input: $input) { accessToken user { email timeZone } } }`,
      { input: { email: 'linus@example.com', password: 'penguins rule', timeZone: 'Europe/Helsinki' } },
    );
    expect(register.body.errors).toBeUndefined();
    expect(register.body.data.register.user).toEqual({
      email: 'linus@example.com',
      timeZone: 'Europe/Helsinki',
    });
    const token = register.body.data.register.accessToken;

    const me = await t.api.graphql(`{ me { email timeZone } }`, {}, token);
    expect(me.body.data.me.email).toBe('linus@example.com');

    const bad = await t.api.graphql(
      `mutation { updateMe(input: { timeZone: "Nowhere" }) { timeZone } }`,
      {},
      token,
    );
    expect(bad.status).toBe(200);
    expect(bad.body.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
    expect(bad.body.errors?.[0]?.message).toMatch(/^timeZone: must be an IANA time zone/);

    const anonymous = await t.api.graphql(`{ me { email } }`);
    expect(anonymous.body.errors?.[0]?.extensions.code).toBe('UNAUTHORIZED');

    const wrong = await t.api.graphql(
      `mutation { login(input: { email: "linus@example.com", password: "nope nope" }) { accessToken } }`,
    );
    expect(wrong.body.errors?.[0]?.extensions.code).toBe('UNAUTHORIZED');
  });
});
