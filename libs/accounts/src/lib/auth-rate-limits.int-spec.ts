import { ACCOUNTS_MIGRATIONS } from './accounts-migrations';
import { AccountsModule } from './accounts.module';
import { GraphqlServerModule } from '@todo/graphql';
import { type ApiResponse, startTestApp, type TestApp } from '@todo/testing';

/** The accounts schema has no lists, so the cost estimate never uses these sizes. */
const NO_LISTS = { listLength: 1, pageLength: 1 };

const PASSWORD = 'correct horse battery';

/**
 * Sign-in and registration budgets per client address, shared by REST and GraphQL, with the default
 * limits (10 sign-ins a minute, 10 registrations an hour). The app trusts its loopback "proxy", so
 * each test is its own client through X-Forwarded-For.
 */
describe('sign-in and registration rate limits', () => {
  let t: TestApp;
  let email: string;
  beforeAll(async () => {
    t = await startTestApp({
      imports: [GraphqlServerModule.forRoot(NO_LISTS), AccountsModule],
      migrations: ACCOUNTS_MIGRATIONS,
      env: {
        LOGIN_RATE_LIMIT_PER_MINUTE: '10',
        REGISTRATION_RATE_LIMIT_PER_HOUR: '10',
        HTTP_TRUST_PROXY: '127.0.0.1',
      },
    });
    ({ email } = await register(t, '198.51.100.1', 'owner'));
  });
  afterAll(() => t.close());

  const login = (client: string, body: unknown) =>
    t.api.request('POST', '/api/v1/auth/login', { body, headers: { 'x-forwarded-for': client } });
  const graphql = (client: string, query: string) =>
    t.api.request('POST', '/graphql', { body: { query }, headers: { 'x-forwarded-for': client } });
  const loginMutation = (alias: string, password: string) =>
    `${alias}: login(input: { email: "${email}", password: "${password}" }) { accessToken }`;

  it('counts sign-ins over REST and GraphQL together: the 11th is 429 with Retry-After', async () => {
    const client = '203.0.113.1';
    const statuses: unknown[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      // A malformed attempt counts as well.
      const body = attempt === 0 ? { email } : { email, password: 'wrong password' };
      statuses.push((await login(client, body)).status);
      const viaGraphql = await graphql(client, `mutation { ${loginMutation('l', 'wrong password')} }`);
      statuses.push(viaGraphql.body.errors[0].extensions.code);
    }
    expect(statuses).toEqual([400, ...Array(4).fill(401)].flatMap((status) => [status, 'UNAUTHORIZED']));

    const rest = await login(client, { email, password: PASSWORD });
    expectRetryAfter(rest, 60);
    expect(rest.status).toBe(429);
    expect(rest.body.error).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(rest.body.error.message).toMatch(
      /^Too many sign-in attempts from this address; try again in \d+ seconds$/,
    );

    const viaGraphql = await graphql(client, `mutation { ${loginMutation('l', PASSWORD)} }`);
    expectRetryAfter(viaGraphql, 60);
    expect(viaGraphql.status).toBe(200);
    expect(viaGraphql.body.data).toBeNull();
    expect(viaGraphql.body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', status: 429 });

    // Another address keeps its own budget.
    expect((await login('203.0.113.99', { email, password: PASSWORD })).status).toBe(200);
  });

  it('counts each aliased login of one GraphQL document', async () => {
    const aliases = Array.from({ length: 12 }, (_, i) => loginMutation(`l${i}`, PASSWORD)).join(' ');
    const response = await graphql('203.0.113.2', `mutation { ${aliases} }`);
    expect(response.status).toBe(200);
    expectRetryAfter(response, 60);
    // Mutations run one after another; the 11th is refused, and as login is non-null the error
    // nulls the whole answer and ends the document (graphql-js), so the 12th never runs.
    expect(response.body.data).toBeNull();
    expect(response.body.errors).toHaveLength(1);
    expect(response.body.errors[0]).toMatchObject({ path: ['l10'], extensions: { code: 'RATE_LIMITED' } });
    // The ten before it were attempts all the same.
    expect((await login('203.0.113.2', { email, password: PASSWORD })).status).toBe(429);
  });

  it('limits registration the same way, with its own budget', async () => {
    const client = '203.0.113.3';
    for (let i = 0; i < 5; i++) {
      await register(t, client, `rest${i}`);
      const viaGraphql = await graphql(client, `mutation { ${registerField('r', `graphql${i}`)} }`);
      expect(viaGraphql.body.errors).toBeUndefined();
    }
    const rest = await t.api.request('POST', '/api/v1/auth/register', {
      body: { email: 'eleventh@example.com', password: PASSWORD },
      headers: { 'x-forwarded-for': client },
    });
    expect(rest.status).toBe(429);
    expectRetryAfter(rest, 3600);
    expect(rest.body.error.message).toMatch(/^Too many accounts registered from this address; try again in/);
    // Registering used none of the sign-in budget.
    expect((await login(client, { email, password: PASSWORD })).status).toBe(200);

    const aliases = Array.from({ length: 12 }, (_, i) => registerField(`r${i}`, `batch${i}`)).join(' ');
    const batch = await graphql('203.0.113.4', `mutation { ${aliases} }`);
    expectRetryAfter(batch, 3600);
    expect(batch.body.errors).toHaveLength(1);
    expect(batch.body.errors[0]).toMatchObject({ path: ['r10'], extensions: { code: 'RATE_LIMITED' } });
    // The first ten accounts exist (each registration commits on its own).
    const tenth = await login('198.51.100.2', { email: emailOf('batch9'), password: PASSWORD });
    expect(tenth.status).toBe(200);
    expect((await login('198.51.100.2', { email: emailOf('batch10'), password: PASSWORD })).status).toBe(401);
  });
});

describe('client address without a trusted proxy', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      imports: [GraphqlServerModule.forRoot(NO_LISTS), AccountsModule],
      migrations: ACCOUNTS_MIGRATIONS,
      env: { LOGIN_RATE_LIMIT_PER_MINUTE: '3' },
    });
  });
  afterAll(() => t.close());

  it('ignores X-Forwarded-For: a forged address does not get a fresh budget', async () => {
    const statuses = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      const response = await t.api.request('POST', '/api/v1/auth/login', {
        body: { email: 'nobody@example.com', password: 'wrong password' },
        headers: { 'x-forwarded-for': `192.0.2.${attempt}` },
      });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });
});

const run = Date.now();
const emailOf = (name: string) => `${name}.${run}@example.com`;
const registerField = (alias: string, name: string) =>
  `${alias}: register(input: { email: "${emailOf(name)}", password: "${PASSWORD}" }) { accessToken }`;

async function register(t: TestApp, client: string, name: string) {
  const email = emailOf(name);
  const response = await t.api.request('POST', '/api/v1/auth/register', {
    body: { email, password: PASSWORD },
    headers: { 'x-forwarded-for': client },
  });
  expect(response.status).toBe(201);
  return { email };
}

/** `Retry-After` in whole seconds, within the window. */
function expectRetryAfter(response: ApiResponse, windowSeconds: number) {
  const value = response.headers.get('retry-after');
  expect(value).toMatch(/^\d+$/);
  expect(Number(value)).toBeGreaterThan(0);
  expect(Number(value)).toBeLessThanOrEqual(windowSeconds);
}
