import type { EventsConfig } from '@todo/config';
import { describeError, sidecarUrl } from '@todo/dapr-sidecar';

/** One request to the sidecar; a task event's sync makes a handful of them. */
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * What the scheduler does when the app answers a trigger with an error (anything but 2xx or 404):
 * try again every `interval`, at most `maxRetries` times. Dapr's default (no policy) is 3 retries
 * 1 s apart, too short to ride out a database restart; past these 5 minutes the scheduler's sweep of
 * the reminders table still fires the reminder.
 */
interface DaprJobRetryPolicy {
  /** A protobuf duration as JSON: whole or fractional seconds with an `s` suffix (`"10s"`). */
  readonly interval: string;
  readonly maxRetries: number;
}

const DEFAULT_JOB_RETRY_POLICY: DaprJobRetryPolicy = { interval: '10s', maxRetries: 30 };

/**
 * The Dapr sidecar's Jobs API (alpha, docs.dapr.io "Jobs API reference"), for one-shot jobs:
 *
 * - `schedule`: `POST /v1.0-alpha1/jobs/{name}` with `{ dueTime, data, overwrite: true,
 *   failure_policy }`. A one-shot job has a `dueTime` only (no `schedule`, `repeats` or `ttl`: the
 *   scheduler rejects `ttl` or `repeats > 1` without a schedule). `dueTime` is an RFC 3339 instant
 *   in UTC, with milliseconds when it has some (the scheduler parses it with Go's `time.RFC3339`,
 *   which accepts fractional seconds), so a job never fires before the reminder's time. `overwrite`
 *   replaces a job of the same name (without it daprd answers 409). The sidecar answers 204.
 * - `delete`: `DELETE /v1.0-alpha1/jobs/{name}`; daprd answers 204 whether or not the job exists
 *   (deleting an unknown key is a success in etcd); a 404 is taken as success too.
 *
 * When the job is due, daprd calls the app at `POST /job/{name}` with the job's `data` as the JSON
 * body (`Content-Type: application/json`): 2xx is success, 404 ends the job without retries, any
 * other answer is retried per the failure policy.
 *
 * Plain `fetch`, not `@dapr/dapr`: SDK 3.18's `DaprClient` has no Jobs API over HTTP (only its
 * workflow client schedules, through the Durable Task protocol). Every request has its own timeout
 * and a failure names the status and the sidecar's reason.
 */
export class DaprJobsClient {
  private readonly baseUrl: string;

  constructor(
    config: Pick<EventsConfig['dapr'], 'host' | 'httpPort'>,
    private readonly options: { timeoutMs?: number; retry?: DaprJobRetryPolicy } = {},
  ) {
    this.baseUrl = sidecarUrl(config);
  }

  /** Creates or replaces the one-shot job `name`, due at `dueTime`; `data` comes back in the trigger. */
  async schedule(name: string, dueTime: Date, data?: unknown): Promise<void> {
    if (Number.isNaN(dueTime.getTime()))
      throw new Error(`cannot schedule Dapr job ${name}: invalid due time`);
    const retry = this.options.retry ?? DEFAULT_JOB_RETRY_POLICY;
    const body = {
      dueTime: rfc3339(dueTime),
      ...(data === undefined ? {} : { data }),
      overwrite: true,
      failure_policy: { constant: { interval: retry.interval, max_retries: retry.maxRetries } },
    };
    const response = await this.request('POST', name, JSON.stringify(body), `schedule Dapr job ${name}`);
    if (!response.ok) throw refused(`schedule Dapr job ${name}`, response);
  }

  /** Deletes the job `name`; resolves when it is gone (also when there was none). */
  async delete(name: string): Promise<void> {
    const response = await this.request('DELETE', name, undefined, `delete Dapr job ${name}`);
    if (!response.ok && response.status !== 404) throw refused(`delete Dapr job ${name}`, response);
  }

  private async request(
    method: 'POST' | 'DELETE',
    name: string,
    body: string | undefined,
    what: string,
  ): Promise<{ ok: boolean; status: number; text: string }> {
    const url = `${this.baseUrl}/v1.0-alpha1/jobs/${encodeURIComponent(name)}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: body === undefined ? undefined : { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw new Error(
        `could not ${what}: the Dapr sidecar at ${this.baseUrl} did not answer (${describeError(error)})`,
      );
    }
    const text = await response.text().catch(() => '');
    return { ok: response.ok, status: response.status, text };
  }
}

/** `2026-11-21T10:00:00Z`, or `2026-11-21T10:00:00.250Z` when there are milliseconds. */
function rfc3339(instant: Date): string {
  return instant.toISOString().replace('.000Z', 'Z');
}

function refused(what: string, response: { status: number; text: string }): Error {
  const reason = response.text.trim();
  return new Error(
    `the Dapr sidecar refused to ${what}: HTTP ${response.status}${reason ? ` ${reason.slice(0, 500)}` : ''}`,
  );
}
