import { ValidationError } from '@todo/errors';
import { isUuid } from '@todo/validation';

/** A conversation id from a path or argument: anything but a uuid is a 400, not a database error. */
export function parseConversationId(text: string): string {
  if (isUuid(text)) return text.toLowerCase();
  throw new ValidationError([{ path: 'id', message: 'must be a conversation id (uuid)' }]);
}
