import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@todo/config';
import { ReadinessProbes } from '@todo/health';

/** In Dapr mode the process is ready only when its sidecar is (TODO: real check). */
@Injectable()
export class DaprSidecarProbe implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly probes: ReadinessProbes,
  ) {}

  onModuleInit(): void {
    if (this.config.events.transport !== 'dapr') return;
    this.probes.register('dapr-sidecar', async () => undefined);
  }
}
