import { persistentSecret, type VapidKeys } from '@todo/config';
import { generateVAPIDKeys } from 'web-push';

/**
 * The server's VAPID key pair, generated on first run and kept in `file` (standalone mode). It must
 * outlive restarts: browsers bind their subscriptions to the public key.
 */
export async function persistentVapidKeys(file: string): Promise<VapidKeys> {
  const stored = JSON.parse(await persistentSecret(file, () => JSON.stringify(generateVAPIDKeys())));
  return { publicKey: stored.publicKey, privateKey: stored.privateKey };
}
