import { ApiClient } from '@todo/testing';
import { mapInBatches } from './batches';

/** Registers users through the API, ten at a time (as a burst of sign-ups would arrive). */
export async function registerUsers(
  url: string,
  count: number,
): Promise<Array<{ id: string; token: string }>> {
  const api = new ApiClient(url);
  const registered = await mapInBatches(Array.from({ length: count }), 10, () => api.register());
  return registered.map(({ token, user }) => ({ id: user.id as string, token }));
}
