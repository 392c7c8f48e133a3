import fc from 'fast-check';
import { SAMPLE_TARGETS } from './sample-targets';
import {
  listOperations,
  type OpenApiDocument,
  type OpenApiOperation,
  operationRequests,
} from './openapi-arbitraries';

const targets = SAMPLE_TARGETS;

const document: OpenApiDocument = {
  paths: {
    '/api/v1/tasks': {
      get: {
        parameters: [
          { name: 'q', in: 'query', schema: { type: 'string' } },
          { name: 'tags', in: 'query', schema: { type: 'array', items: { type: 'string' } } },
        ],
        security: [{ bearer: [] }],
      },
    },
    '/api/v1/tasks/{ref}': {
      patch: {
        parameters: [{ name: 'ref', in: 'path', required: true, schema: { type: 'string' } }],
        requestBody: {
          content: {
            'application/json': { schema: { type: 'object', properties: { title: { type: 'string' } } } },
          },
        },
        security: [{ bearer: [] }],
      },
    },
    '/health/live': { get: {} },
  },
};

describe('listOperations', () => {
  it('lists every operation with its parameters, body schema and whether it needs a token', () => {
    expect(listOperations(document)).toEqual([
      {
        method: 'GET',
        path: '/api/v1/tasks',
        pathParams: [],
        queryParams: [
          { name: 'q', schema: { type: 'string' } },
          { name: 'tags', schema: { type: 'array', items: { type: 'string' } } },
        ],
        body: undefined,
        secured: true,
      },
      {
        method: 'PATCH',
        path: '/api/v1/tasks/{ref}',
        pathParams: ['ref'],
        queryParams: [],
        body: { type: 'object', properties: { title: { type: 'string' } } },
        secured: true,
      },
      {
        method: 'GET',
        path: '/health/live',
        pathParams: [],
        queryParams: [],
        body: undefined,
        secured: false,
      },
    ]);
  });
});

describe('operationRequests', () => {
  const [list, patch] = listOperations(document) as [OpenApiOperation, OpenApiOperation, OpenApiOperation];

  it("fills path parameters with encoded hostile values, including the other user's refs", () => {
    const requests = fc.sample(operationRequests(patch, targets), { seed: 3, numRuns: 300 });
    for (const request of requests) {
      expect(request.path).toMatch(/^\/api\/v1\/tasks\/[^/{}]*$/);
      expect(() => new URL(request.path, 'http://localhost')).not.toThrow();
      expect(request.operation).toBe('PATCH /api/v1/tasks/{ref}');
    }
    expect(requests.some((request) => request.path === '/api/v1/tasks/2')).toBe(true);
    expect(requests.some((request) => request.path.includes('%ED%A0%80'))).toBe(true);
    expect(requests.filter((request) => request.body !== undefined).length).toBeGreaterThan(200);
  });

  it('sends query parameters as a browser would and never a body on GET', () => {
    const requests = fc.sample(operationRequests(list, targets), { seed: 4, numRuns: 300 });
    expect(requests.every((request) => request.body === undefined)).toBe(true);
    expect(requests.some((request) => /[?&]tags=[^&]*%2C/.test(request.path))).toBe(true);
    expect(requests.some((request) => /[?&]q=/.test(request.path))).toBe(true);
    expect(requests.some((request) => !request.path.includes('?'))).toBe(true);
  });
});
