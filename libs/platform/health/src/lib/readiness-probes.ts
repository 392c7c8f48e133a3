import { Injectable } from '@nestjs/common';

/** A dependency the process needs before it can take traffic; throws (with a reason) when not ready. */
export type ReadinessProbe = () => Promise<void>;

/**
 * Readiness conditions contributed by other modules (e.g. "the Dapr sidecar answers"), checked by
 * `/health/ready` next to the database and migrations.
 */
@Injectable()
export class ReadinessProbes {
  private readonly probes = new Map<string, ReadinessProbe>();

  register(name: string, probe: ReadinessProbe): void {
    this.probes.set(name, probe);
  }

  entries(): ReadonlyArray<[string, ReadinessProbe]> {
    return [...this.probes];
  }
}
