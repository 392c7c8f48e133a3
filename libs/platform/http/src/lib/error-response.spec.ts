import { ServiceUnavailableError } from '@todo/errors';
import { toErrorResponse } from './error-response';

describe('toErrorResponse', () => {
  it('answers a database that could not take the request in time with 503 and a retry delay, not 500', () => {
    const queueTimeout = new Error('timeout exceeded when trying to connect');
    const { status, body, internal, retryAfterSeconds } = toErrorResponse(queueTimeout);
    expect(status).toBe(503);
    expect(body.error).toMatchObject({
      code: 'unavailable',
      message: 'The server is busy; retry in a moment',
    });
    expect(internal).toBe(false);
    expect(retryAfterSeconds).toBe(1);
  });

  it('keeps an unavailable dependency without a retry delay as before, and a bug as a 500', () => {
    expect(toErrorResponse(new ServiceUnavailableError('The assistant did not answer'))).toMatchObject({
      status: 503,
      internal: true,
    });
    expect(toErrorResponse(new ServiceUnavailableError('x')).retryAfterSeconds).toBeUndefined();
    expect(toErrorResponse(new Error('boom'))).toMatchObject({ status: 500, internal: true });
  });
});
