import { ApiClient } from '@todo/testing';

/** Registers users through the API, ten at a time (as a burst of sign-ups would arrive). */
export async function registerUsers(
  url: string,
  count: number,
): Promise<Array<{ id: string; token: string }>> {
  const api = new ApiClient(url);
  const users: Array<{ id: string; token: string }> = [];
  for (let start = 0; start < count; start += 10) {
    const batch = Array.from({ length: Math.min(10, count - start) }, () => api.register());
    users.push(...(await Promise.all(batch)).map(({ token, user }) => ({ id: user.id as string, token })));
  }
  return users;
}
