import { ValidationError } from './app-errors';
import { refusedInputFromDatabase } from './database-errors';

describe('refusedInputFromDatabase', () => {
  it('turns PostgreSQL input errors into a 400, also when TypeORM wraps them', () => {
    const nul = refusedInputFromDatabase({
      code: '22021',
      message: 'invalid byte sequence for encoding "UTF8": 0x00',
    });
    expect(nul).toBeInstanceOf(ValidationError);
    expect(nul?.status).toBe(400);
    expect(nul?.message).toBe('The request was refused: a text contains a character that cannot be stored');
    expect(refusedInputFromDatabase({ driverError: { code: '22008' } })?.message).toContain(
      'a date or time is out of range',
    );
  });

  it('leaves every other failure alone (a bug or an outage stays a 5xx)', () => {
    expect(refusedInputFromDatabase({ code: '23505' })).toBeNull(); // unique violation: the code handles it
    expect(refusedInputFromDatabase({ code: 'ECONNREFUSED' })).toBeNull();
    expect(refusedInputFromDatabase(new Error('boom'))).toBeNull();
    expect(refusedInputFromDatabase(undefined)).toBeNull();
  });
});
