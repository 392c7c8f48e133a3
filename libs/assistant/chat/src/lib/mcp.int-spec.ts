import { SIGNED_IN_TASK_API } from '@todo/integration-testing';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { type CallToolResult, CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { TOOL_DEFINITIONS, TOOL_NAMES } from '@todo/assistant-contract';
import { McpModule } from './mcp/mcp.module';
import { startTestApp, type TestApp } from '@todo/testing';

/** The MCP server at /mcp, driven by the SDK's own client over real HTTP (real PostgreSQL). */
describe('MCP server (Streamable HTTP)', () => {
  let t: TestApp;
  let token: string;
  let strangerToken: string;
  let mcp: Client;
  let strangerMcp: Client;
  const clients: Client[] = [];

  async function connect(bearer: string): Promise<Client> {
    const client = new Client({ name: 'mcp-int-spec', version: '1.0.0' });
    const url = new URL('/mcp', t.api.baseUrl);
    await client.connect(
      new StreamableHTTPClientTransport(url, {
        requestInit: { headers: { Authorization: `Bearer ${bearer}` } },
      }),
    );
    clients.push(client);
    return client;
  }

  beforeAll(async () => {
    t = await startTestApp({ slices: [SIGNED_IN_TASK_API], imports: [McpModule] });
    ({ token } = await t.api.register({ time_zone: 'Europe/Berlin' }));
    ({ token: strangerToken } = await t.api.register({ time_zone: 'America/New_York' }));
    mcp = await connect(token);
    strangerMcp = await connect(strangerToken);
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await t.close();
  });

  const rest = (method: string, path: string, as = token) =>
    t.api.request(method, `/api/v1${path}`, { token: as });
  /** The SDK types results loosely (old protocol versions too); this checks the current shape. */
  const callTool = async (client: Client, name: string, args: Record<string, unknown> = {}) =>
    CallToolResultSchema.parse(await client.callTool({ name, arguments: args }));
  const textOf = (result: CallToolResult) =>
    result.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');

  it('introduces itself and lists exactly the assistant tools with their JSON Schemas', async () => {
    expect(mcp.getServerVersion()).toMatchObject({ name: 'todo-assistant' });
    expect(mcp.getInstructions()).toContain('time zone');
    const { tools } = await mcp.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(TOOL_NAMES);
    expect(tools).toHaveLength(6);
    for (const definition of TOOL_DEFINITIONS)
      expect(tools.find((tool) => tool.name === definition.name)).toEqual({
        name: definition.name,
        description: definition.description,
        inputSchema: definition.inputSchema,
      });
  });

  it('add_task reads times as wall times in the user zone; REST shows the same task', async () => {
    const result = await callTool(mcp, 'add_task', {
      title: 'Dentist',
      due: '2031-03-10T14:00',
      priority: 'high',
      reminders: [{ before: 'PT1H' }],
    });
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toMatch(/^Added #1 Dentist/);
    expect(result.structuredContent).toMatchObject({
      task: { number: 1, title: 'Dentist', due: '2031-03-10T14:00', priority: 'high', status: 'pending' },
    });

    const task = await rest('GET', '/tasks/1');
    expect(task.status).toBe(200);
    expect(task.body).toMatchObject({
      title: 'Dentist',
      due: '2031-03-10T14:00:00+01:00',
      priority: 'high',
      time_zone: 'Europe/Berlin',
    });
    expect(task.body.reminders).toMatchObject([{ before: 'PT1H', fire_at: '2031-03-10T12:00:00.000Z' }]);
  });

  it('list_tasks answers in a sentence and with structured tasks', async () => {
    const result = await callTool(mcp, 'list_tasks');
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toMatch(/^1 pending task:\n#1 Dentist/);
    expect(result.structuredContent).toMatchObject({ tasks: [{ number: 1, title: 'Dentist' }], more: false });
  });

  it("checks tool arguments with the task API's own rules: tags as stored, reminder offsets within limits", async () => {
    const tagged = await callTool(mcp, 'add_task', { title: 'Quarterly report', tags: ['work'] });
    expect(tagged.isError).toBeFalsy();
    const listed = await callTool(mcp, 'list_tasks', { tags: ['#Work'] });
    expect(listed.structuredContent).toMatchObject({ tasks: [{ title: 'Quarterly report' }] });

    const tooEarly = await callTool(mcp, 'set_reminder', { task: { number: 1 }, before: 'P400D' });
    expect(tooEarly.isError).toBe(true);
    expect(textOf(tooEarly)).toContain('must be at most 365 days');
    await callTool(mcp, 'delete_task', { task: { title: 'Quarterly report' } });
  });

  it("acts only as the token's user: another user can neither see nor complete the task", async () => {
    const listed = await callTool(strangerMcp, 'list_tasks');
    expect(textOf(listed)).toBe('No pending tasks match.');
    expect(listed.structuredContent).toEqual({ tasks: [] });

    const completed = await callTool(strangerMcp, 'complete_task', { task: { number: 1 } });
    expect(completed.isError).toBe(true);
    expect(textOf(completed)).toMatch(/not found/i);
    expect((await rest('GET', '/tasks/1')).body.status).toBe('pending');
  });

  it('answers invalid arguments and unknown tools with an error result that says what is wrong', async () => {
    const invalid = await callTool(mcp, 'add_task', { title: ' ', due: 'next tuesday' });
    expect(invalid.isError).toBe(true);
    expect(textOf(invalid)).toContain('title: must not be empty');
    expect(textOf(invalid)).toContain('due: must be "YYYY-MM-DD" (all day) or "YYYY-MM-DDTHH:mm"');

    const unknown = await callTool(mcp, 'fly_to_the_moon');
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown)).toContain('unknown tool "fly_to_the_moon"; the tools are add_task, list_tasks');
  });

  describe('over plain HTTP', () => {
    const listTools = { jsonrpc: '2.0', id: 1, method: 'tools/list' };
    const accept = { accept: 'application/json, text/event-stream' };

    it('asks for a bearer token: 401 with a WWW-Authenticate challenge and the usual error body', async () => {
      const missing = await t.api.request('POST', '/mcp', { body: listTools, headers: accept });
      expect(missing.status).toBe(401);
      expect(missing.headers.get('www-authenticate')).toBe('Bearer');
      expect(missing.body.error).toMatchObject({ status: 401, code: 'unauthorized' });

      const forged = await t.api.request('POST', '/mcp', {
        body: listTools,
        headers: accept,
        token: 'forged',
      });
      expect(forged.status).toBe(401);
      expect(forged.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
      expect(forged.body.error).toMatchObject({ status: 401, code: 'unauthorized' });
    });

    it('answers a stateless POST with JSON and keeps the request id header', async () => {
      const listed = await t.api.request('POST', '/mcp', { body: listTools, headers: accept, token });
      expect(listed.status).toBe(200);
      expect(listed.headers.get('content-type')).toMatch(/^application\/json/);
      expect(listed.headers.get('x-request-id')).toBeTruthy();
      expect(listed.body.result.tools).toHaveLength(TOOL_NAMES.length);
    });

    it('answers a tools/call without params as Invalid params (-32602), not as an internal error', async () => {
      const call = { jsonrpc: '2.0', id: 2, method: 'tools/call' };
      const answered = await t.api.request('POST', '/mcp', { body: call, headers: accept, token });
      expect(answered.status).toBe(200);
      expect(answered.body.error).toMatchObject({ code: -32602, message: expect.stringContaining('params') });
    });

    it('has no stream or session to GET or DELETE: 405, Allow: POST', async () => {
      for (const method of ['GET', 'DELETE']) {
        const refused = await t.api.request(method, '/mcp', { headers: accept, token });
        expect(refused.status).toBe(405);
        expect(refused.headers.get('allow')).toBe('POST');
        expect(refused.body.error).toMatchObject({ status: 405, code: 'method_not_allowed' });
      }
    });
  });
});
