import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@todo/config';
import { describeError, sidecarUrl } from '@todo/dapr-sidecar';
import { ReadinessProbes } from '@todo/health';

const PROBE_TIMEOUT_MS = 1_000;

/**
 * A process that uses a Dapr sidecar is ready only when its sidecar is: `GET /v1.0/healthz/outbound` answers
 * 204 once the sidecar's components are initialized (it does not wait for the app channel, which
 * would be circular: the sidecar waits for this app to listen before it subscribes).
 *
 * Plain `fetch`, not `@dapr/dapr`: SDK 3.18 has no call for `healthz/outbound`; its
 * `health.isHealthy()` asks `GET /v1.0/metadata`, which answers before the components are ready.
 */
@Injectable()
export class DaprSidecarProbe implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly probes: ReadinessProbes,
  ) {}

  onModuleInit(): void {
    // the sidecar serves this process's events, chat invocations or conversations
    const { events, chat } = this.config;
    const usesSidecar =
      events.transport === 'dapr' || chat.agent.transport === 'dapr' || chat.conversations.store === 'dapr';
    if (!usesSidecar) return;
    const base = sidecarUrl(this.config.events.dapr);
    const url = `${base}/v1.0/healthz/outbound`;
    this.probes.register('dapr-sidecar', async () => {
      let response: Response;
      try {
        response = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
      } catch (error) {
        throw new Error(`the Dapr sidecar at ${base} is unreachable: ${describeError(error)}`);
      }
      const text = await response.text().catch(() => '');
      if (!response.ok)
        throw new Error(
          `the Dapr sidecar at ${base} is not ready: GET /v1.0/healthz/outbound answered ${response.status}${text ? ` ${text.slice(0, 200)}` : ''}`,
        );
    });
  }
}
