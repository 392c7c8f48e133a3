import { Global, Injectable, Logger, Module, type OnApplicationBootstrap } from '@nestjs/common';

/** HTTP methods a Dapr app callback can be registered for. */
type DaprCallbackMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What a callback answers the sidecar; `body` is sent as JSON (none when undefined). */
export interface DaprCallbackResponse {
  readonly status: number;
  readonly body?: unknown;
}

interface DaprAppCallback {
  readonly method: DaprCallbackMethod;
  /** Literal segments and `:param` segments (one whole, non-empty segment each), e.g. `/job/:name`. */
  readonly path: string;
  /** `params` are URL-decoded; `body` is the parsed JSON body (`undefined` when the body is empty). */
  readonly handle: (params: Readonly<Record<string, string>>, body: unknown) => Promise<DaprCallbackResponse>;
}

/** A request on the Dapr app port that is not a pub/sub delivery (the body as received, as text). */
interface DaprCallbackRequest {
  readonly method: string;
  /** Path and optional query string, as in the request line. */
  readonly url: string;
  readonly body: string;
}

interface Registered {
  readonly callback: DaprAppCallback;
  readonly segments: readonly Segment[];
}

type Segment = { readonly literal: string } | { readonly param: string };

/**
 * Extra routes on the Dapr "app port" (`DAPR_APP_PORT`). Dapr calls an app on one port only, so
 * everything the sidecar sends besides pub/sub deliveries (e.g. Jobs API triggers, `POST /job/<name>`)
 * must be served by the same server as the deliveries: features register handlers here during
 * `onModuleInit`, the Dapr event server (libs/event-transport) answers them.
 *
 * The event server may already listen when the hooks run (it starts with the microservices, before
 * `app.init`), so routes are resolved per request: until the app has bootstrapped, a request no
 * callback matches is answered 503 (the sidecar retries; a 404 would make it drop a job for good),
 * afterwards 404. A handler that throws is answered 500 `{ error }`; a body that is not JSON, 400.
 */
@Injectable()
export class DaprAppCallbacks implements OnApplicationBootstrap {
  private readonly log = new Logger('DaprAppCallbacks');
  private readonly registered: Registered[] = [];
  private started = false;

  /** Adds a route; call before the app has started (`onModuleInit` at the latest). */
  register(callback: DaprAppCallback): void {
    if (this.started)
      throw new Error(
        `Dapr app callback ${callback.method} ${callback.path} registered after start-up: register in onModuleInit`,
      );
    const segments = parsePattern(callback.path);
    const shape = (list: readonly Segment[]) =>
      list.map((segment) => ('literal' in segment ? segment.literal : ':')).join('/');
    const clash = this.registered.find(
      (entry) => entry.callback.method === callback.method && shape(entry.segments) === shape(segments),
    );
    if (clash)
      throw new Error(
        `Dapr app callback ${callback.method} ${callback.path} clashes with ${clash.callback.method} ${clash.callback.path}`,
      );
    this.registered.push({ callback, segments });
  }

  /** The registered routes (for logs and tests). */
  get routes(): ReadonlyArray<Pick<DaprAppCallback, 'method' | 'path'>> {
    return this.registered.map(({ callback }) => ({ method: callback.method, path: callback.path }));
  }

  /** Called by Nest once every `onModuleInit` ran: from now on an unknown route is a 404. */
  onApplicationBootstrap(): void {
    this.started = true;
  }

  /** Answers one request on the Dapr app port; never throws. */
  async dispatch(request: DaprCallbackRequest): Promise<DaprCallbackResponse> {
    const path = request.url.split('?')[0];
    const method = request.method.toUpperCase();
    const match = this.match(method, path);
    if (!match) {
      if (!this.started) return { status: 503, body: { error: 'the app is starting' } };
      return { status: 404, body: { error: `no Dapr app callback for ${method} ${path}` } };
    }
    let body: unknown;
    if (request.body.trim()) {
      try {
        body = JSON.parse(request.body) as unknown;
      } catch {
        return { status: 400, body: { error: 'the body is not valid JSON' } };
      }
    }
    try {
      return await match.callback.handle(match.params, body);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.log.warn(`${method} ${path} failed (answered 500, the sidecar retries): ${message}`);
      return { status: 500, body: { error: message } };
    }
  }

  private match(
    method: string,
    path: string,
  ): { callback: DaprAppCallback; params: Record<string, string> } | undefined {
    const parts = path.split('/').filter(Boolean);
    for (const { callback, segments } of this.registered) {
      if (callback.method !== method || segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      const matches = segments.every((segment, index) => {
        const part = decodeSegment(parts[index]);
        if (part === undefined) return false;
        if ('literal' in segment) return segment.literal === part;
        params[segment.param] = part;
        return true;
      });
      if (matches) return { callback, params };
    }
    return undefined;
  }
}

/** Makes {@link DaprAppCallbacks} one instance for the whole app (imported by `PlatformModule`). */
@Global()
@Module({ providers: [DaprAppCallbacks], exports: [DaprAppCallbacks] })
export class DaprAppCallbacksModule {}

function parsePattern(path: string): Segment[] {
  if (!path.startsWith('/')) throw new Error(`Dapr app callback path "${path}" must start with /`);
  return path
    .split('/')
    .filter(Boolean)
    .map((part) => {
      if (!part.startsWith(':')) return { literal: part };
      const param = part.slice(1);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(param))
        throw new Error(`Dapr app callback path "${path}": invalid parameter "${part}"`);
      return { param };
    });
}

function decodeSegment(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}
