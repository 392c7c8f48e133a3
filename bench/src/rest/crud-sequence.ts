import type { Request } from 'autocannon';

interface SequenceContext {
  token?: string;
  number?: number;
}

/**
 * The mixed-CRUD workload, one autocannon request sequence each connection repeats: create a task,
 * read it, rename it, complete it, list the first page. Every pass takes the next user's token, so
 * the load spreads over all users; within a pass the task created is the one read and changed.
 */
export function crudSequence(tokens: readonly string[]): Request[] {
  let next = 0;
  const authorized =
    (path?: (taskNumber: number) => string) =>
    (request: Request, context: SequenceContext): Request => ({
      ...request,
      ...(path && { path: path(context.number as number) }),
      headers: {
        authorization: `Bearer ${(context.token ??= tokens[next++ % tokens.length])}`,
        // Only with a body: the API answers 400 to a JSON content type with nothing in it.
        ...(request.body && { 'content-type': 'application/json' }),
      },
    });
  const task = (n: number) => `/api/v1/tasks/${n}`;
  return [
    {
      method: 'POST',
      path: '/api/v1/tasks',
      body: JSON.stringify({
        title: 'Buy milk',
        priority: 'high',
        tags: ['home'],
        due: '2030-01-01T10:00:00Z',
      }),
      setupRequest: authorized(),
      onResponse: (status, body, context: SequenceContext) => {
        if (status === 201) context.number = (JSON.parse(body) as { number: number }).number;
      },
    },
    { method: 'GET', setupRequest: authorized(task) },
    { method: 'PATCH', body: JSON.stringify({ title: 'Buy oat milk' }), setupRequest: authorized(task) },
    { method: 'POST', setupRequest: authorized((n) => `${task(n)}/complete`) },
    { method: 'GET', path: '/api/v1/tasks?limit=20', setupRequest: authorized() },
  ];
}
