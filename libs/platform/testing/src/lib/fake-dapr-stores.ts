import { randomUUID } from 'node:crypto';

/**
 * The state and secrets APIs of `FakeDaprSidecar`: in-memory stores behind daprd's documented HTTP
 * contract (docs.dapr.io "State management API reference" and "Secrets API reference"; statuses
 * and error codes as daprd's HTTP handlers answer them). Not a state store component: the
 * concurrency rules are those every Dapr state store follows (components-contrib's `state.SetRequest`
 * contract), which `state.postgresql` implements with a row per key and a UUID ETag.
 *
 * State (`/v1.0/state/{store}…`), every request recorded in `requests`:
 * - `GET /{key}`: 200 with the value's JSON and an `ETag` header; 204 when there is none.
 * - `POST /bulk` `{ keys, parallelism }`: 200 `[{ key, data, etag }]`, `{ key }` alone for a missing key.
 * - `POST` `[{ key, value, etag?, options: { concurrency? } }]`: with an `etag`, only if it is the
 *   current one; with `first-write` and no `etag`, only if the key has no value; otherwise
 *   last-write. A mismatch: 409 `ERR_STATE_SAVE` ("possible etag mismatch"). Items apply one by one.
 * - `DELETE /{key}` (`If-Match` for an ETag): 204, also for a missing key without ETag; 409 on a mismatch.
 * - `POST /transaction` `{ operations: [{ operation: upsert|delete, request: { key, value?, etag?,
 *   options? } }] }`: all or nothing; an ETag must be a string (daprd decodes it into `*string`: an
 *   object is a 400 `ERR_MALFORMED_REQUEST`); a mismatch fails the whole transaction with daprd's
 *   500 `ERR_STATE_TRANSACTION` ("error while executing state transaction: possible etag mismatch").
 * - An unknown store: 400 `ERR_STATE_STORE_NOT_FOUND`; a key containing `||` (the separator of
 *   daprd's `<app id>||<key>` scheme): 400.
 *
 * Secrets (`GET /v1.0/secrets/{store}/{name}`): 200 `{ "<name>": "<value>" }`; an unknown store: 401
 * `ERR_SECRET_STORE_NOT_FOUND` (daprd's status); a secret outside `allowed`: 403
 * `ERR_PERMISSION_DENIED`; a missing one: 500 `ERR_SECRET_GET` with the local file store's reason
 * ("secret <name> not found").
 */
export class FakeDaprStores {
  /** Every state API request, in arrival order, with the status it got. */
  readonly stateRequests: RecordedStoreRequest[] = [];
  /** Every secrets API request, in arrival order, with the status it got. */
  readonly secretRequests: RecordedStoreRequest[] = [];
  private readonly states = new Map<string, Map<string, StoredState>>();
  private readonly secrets = new Map<string, { values: Record<string, string>; allowed?: string[] }>();
  private stateFailure: { status: number; message: string } | null = null;

  constructor(private readonly appId: string) {}

  /** Adds an empty state store component named `name` (daprd loads `statestore` by default here). */
  addStateStore(name: string): void {
    if (!this.states.has(name)) this.states.set(name, new Map());
  }

  /** The values of `store` by key (as the app named them), parsed, with their ETags. */
  stateEntries(store: string): Map<string, { value: unknown; etag: string }> {
    const prefix = `${this.appId}||`;
    return new Map(
      [...(this.states.get(store) ?? [])].map(([key, item]) => [
        key.slice(prefix.length),
        { value: JSON.parse(item.json) as unknown, etag: item.etag },
      ]),
    );
  }

  /** Makes every state API call answer `status` (e.g. 500) from now on; `null` heals it. */
  failState(status: number | null, message = 'simulated state store failure'): void {
    this.stateFailure = status === null ? null : { status, message };
  }

  /** A secret store component `name` holding `values`; `allowed`: the secret scopes' allow list. */
  setSecretStore(name: string, values: Record<string, string>, allowed?: string[]): void {
    this.secrets.set(name, { values, allowed });
  }

  /** Answers a secrets API request. */
  secret(store: string, name: string): StoreAnswer {
    const answer = (status: number, body?: unknown, headers?: Record<string, string>): StoreAnswer => {
      this.secretRequests.push({ method: 'GET', path: `${store}/${name}`, status, body: undefined });
      return { status, body, headers };
    };
    const found = this.secrets.get(store);
    if (!found)
      return answer(401, {
        errorCode: 'ERR_SECRET_STORE_NOT_FOUND',
        message: `failed finding secret store with key ${store}`,
      });
    if (found.allowed && !found.allowed.includes(name))
      return answer(403, {
        errorCode: 'ERR_PERMISSION_DENIED',
        message: `access denied by policy to get "${name}" from "${store}"`,
      });
    if (!(name in found.values))
      return answer(500, {
        errorCode: 'ERR_SECRET_GET',
        message: `failed getting secret with key ${name} from secret store ${store}: secret ${name} not found`,
      });
    return answer(200, { [name]: found.values[name] });
  }

  /** Answers a state API request (`rest`: what follows `/v1.0/state/{store}`). */
  state(method: string, storeName: string, rest: string, rawBody: string, ifMatch?: string): StoreAnswer {
    const record: RecordedStoreRequest = {
      method,
      path: `${storeName}${rest}`,
      status: 0,
      body: parseJson(rawBody),
    };
    this.stateRequests.push(record);
    const answer = (status: number, body?: unknown, headers?: Record<string, string>): StoreAnswer => {
      record.status = status;
      return { status, body, headers };
    };
    const error = (status: number, errorCode: string, message: string) =>
      answer(status, { errorCode, message });

    const store = this.states.get(storeName);
    if (!store) return error(400, 'ERR_STATE_STORE_NOT_FOUND', `state store ${storeName} is not found`);
    if (this.stateFailure)
      return error(this.stateFailure.status, 'ERR_STATE_STORE', this.stateFailure.message);
    const keyOf = (key: unknown) => `${this.appId}||${String(key)}`;
    const badKey = (key: unknown) => typeof key !== 'string' || key === '' || key.includes('||');

    if (method === 'POST' && rest === '/bulk') {
      const request = record.body as { keys?: unknown } | undefined;
      if (!request || !Array.isArray(request.keys) || request.keys.some(badKey))
        return error(
          400,
          'ERR_MALFORMED_REQUEST',
          'failed deserializing HTTP body: keys is not a list of keys',
        );
      return answer(
        200,
        (request.keys as string[]).map((key) => {
          const item = store.get(keyOf(key));
          return item ? { key, data: JSON.parse(item.json) as unknown, etag: item.etag } : { key };
        }),
      );
    }
    if (method === 'POST' && rest === '/transaction')
      return this.transaction(store, record.body, keyOf, badKey, answer);
    if (method === 'POST' && rest === '') {
      const items = record.body;
      if (!Array.isArray(items)) return error(400, 'ERR_MALFORMED_REQUEST', 'the body is not a JSON array');
      for (const item of items as SetRequest[]) {
        if (badKey(item?.key)) return error(400, 'ERR_MALFORMED_REQUEST', 'a state item has no valid "key"');
        const refused = setRefused(store, keyOf(item.key), item);
        if (refused)
          return error(
            refused.status,
            'ERR_STATE_SAVE',
            `failed saving state in state store ${storeName}: ${refused.message}`,
          );
        store.set(keyOf(item.key), { json: JSON.stringify(item.value ?? null), etag: randomUUID() });
      }
      return answer(204);
    }
    const key = decodeURIComponent(rest.slice(1));
    if (!rest.startsWith('/') || badKey(key)) return error(400, 'ERR_MALFORMED_REQUEST', 'invalid state key');
    if (method === 'GET') {
      const item = store.get(keyOf(key));
      return item ? answer(200, JSON.parse(item.json), { etag: item.etag }) : answer(204);
    }
    if (method === 'DELETE') {
      const current = store.get(keyOf(key));
      if (ifMatch && current?.etag !== ifMatch)
        return error(
          409,
          'ERR_STATE_DELETE',
          `failed deleting state with key ${key}: possible etag mismatch`,
        );
      store.delete(keyOf(key));
      return answer(204);
    }
    return error(405, 'ERR_METHOD_NOT_ALLOWED', `${method} is not allowed here`);
  }

  private transaction(
    store: Map<string, StoredState>,
    body: unknown,
    keyOf: (key: unknown) => string,
    badKey: (key: unknown) => boolean,
    answer: (status: number, body?: unknown) => StoreAnswer,
  ): StoreAnswer {
    const error = (status: number, errorCode: string, message: string) =>
      answer(status, { errorCode, message });
    const operations = (body as { operations?: unknown } | undefined)?.operations;
    if (!Array.isArray(operations)) return error(400, 'ERR_MALFORMED_REQUEST', 'operations is not a list');
    const steps: Array<{ kind: 'upsert' | 'delete'; request: SetRequest }> = [];
    for (const operation of operations as Array<{ operation?: unknown; request?: SetRequest }>) {
      if (operation.operation !== 'upsert' && operation.operation !== 'delete')
        return error(
          400,
          'ERR_NOT_SUPPORTED_STATE_OPERATION',
          `operation type ${String(operation.operation)} not supported`,
        );
      const request = operation.request;
      if (!request || badKey(request.key))
        return error(400, 'ERR_MALFORMED_REQUEST', 'an operation has no valid "key"');
      if (request.etag !== undefined && request.etag !== null && typeof request.etag !== 'string')
        return error(400, 'ERR_MALFORMED_REQUEST', "'ETag' expected type 'string'");
      steps.push({ kind: operation.operation, request });
    }
    for (const { kind, request } of steps) {
      const refused =
        kind === 'upsert'
          ? setRefused(store, keyOf(request.key), request)
          : request.etag && store.get(keyOf(request.key))?.etag !== request.etag
            ? { message: 'possible etag mismatch' }
            : undefined;
      if (refused)
        return error(
          500,
          'ERR_STATE_TRANSACTION',
          `error while executing state transaction: ${refused.message}`,
        );
    }
    for (const { kind, request } of steps)
      if (kind === 'upsert')
        store.set(keyOf(request.key), { json: JSON.stringify(request.value ?? null), etag: randomUUID() });
      else store.delete(keyOf(request.key));
    return answer(204);
  }
}

/** Why a set request may not be applied (the ETag rules), or `undefined`. */
function setRefused(
  store: Map<string, StoredState>,
  key: string,
  request: SetRequest,
): { status: number; message: string } | undefined {
  const current = store.get(key);
  if (request.etag) {
    if (current?.etag !== request.etag) return { status: 409, message: 'possible etag mismatch' };
    return undefined;
  }
  if (request.options?.concurrency === 'first-write' && current)
    return { status: 409, message: 'possible etag mismatch: the key has a value and no etag was given' };
  return undefined;
}

interface StoredState {
  /** The value as daprd stores it: its JSON. */
  json: string;
  etag: string;
}

interface SetRequest {
  key: string;
  value?: unknown;
  etag?: unknown;
  options?: { concurrency?: string; consistency?: string };
}

export interface StoreAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RecordedStoreRequest {
  method: string;
  /** `<store>/<rest of the path>` */
  path: string;
  /** What the fake answered. */
  status: number;
  /** The request body, parsed. */
  body: unknown;
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
