import { DependencyUnavailableError, InvalidConfigError, StartupError } from '@todo/config';
import { Kafka, logLevel } from 'kafkajs';
import { describeStartupError } from './exit-on-startup-error';

describe('start-up failures', () => {
  it('names an unavailable dependency and its address', () => {
    const error = new DependencyUnavailableError(
      'PostgreSQL',
      DependencyUnavailableError.addressOf('postgres://ann:secret@db.internal/todo', 5432),
      'connect ECONNREFUSED',
    );
    expect(describeStartupError(error)).toEqual({
      msg: 'cannot start: PostgreSQL at db.internal:5432 is unavailable: connect ECONNREFUSED',
      fields: { dependency: 'PostgreSQL', address: 'db.internal:5432' },
    });
  });

  it('finds the broker kafkajs could not reach under its retry wrapper', async () => {
    const kafka = new Kafka({
      brokers: ['127.0.0.1:1'],
      retry: { retries: 1, initialRetryTime: 10 },
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer();
    const error = await producer.connect().then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(describeStartupError(error)).toMatchObject({
      msg: expect.stringMatching(
        /^cannot start: Kafka broker at 127\.0\.0\.1:1 is unavailable: .*ECONNREFUSED/,
      ),
      fields: { dependency: 'Kafka broker', address: '127.0.0.1:1' },
    });
  });

  it('lists configuration problems, and says a refusal without a stack', () => {
    expect(describeStartupError(new InvalidConfigError(['PORT: expected a whole number']))).toEqual({
      msg: 'cannot start: invalid configuration',
      fields: { problems: ['PORT: expected a whole number'] },
    });
    expect(describeStartupError(new StartupError('DATA_DIR is in use'))).toEqual({
      msg: 'cannot start: DATA_DIR is in use',
      fields: {},
    });
  });

  it('keeps the stack of an unexpected error, without the parameters of a failed statement', () => {
    const failed = Object.assign(new Error('violates check constraint'), {
      parameters: ['ann@example.com', 'scrypt$…'],
      driverError: { code: '23514', detail: 'Failing row contains (ann@example.com, scrypt$…)' },
    });
    const { msg, fields } = describeStartupError(failed);
    expect(msg).toBe('cannot start: violates check constraint');
    expect(fields['err']).toMatchObject({
      message: 'violates check constraint',
      driverError: { code: '23514' },
    });
    expect(JSON.stringify(fields)).not.toMatch(/ann@example\.com|scrypt/);
  });
});
