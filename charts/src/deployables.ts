import { type Topic, TOPICS } from '@todo/events';
import type { AppId } from './values';

/** The HTTP port every image listens on (the image's `PORT`); the sidecar's API and the Dapr app port. */
export const HTTP_PORT = 3000;
export const DAPR_HTTP_PORT = 3500;
export const DAPR_APP_PORT = 3001;

/** What the charts need to know about one deployable; the tests check each fact against the app. */
export interface Deployable {
  appId: AppId;
  /** The Nx project that builds its image (`nx run <project>:container`). */
  project: string;
  /** Its folder (main.ts names the config schema the tests parse its environment with). */
  root: string;
  /** Variables of this app only (the shared ones come from the `todo-config` ConfigMap). */
  env: Record<string, string>;
  /** Topics its event consumers subscribe to (checked against the handlers its libraries declare). */
  consumes: Topic[];
  /**
   * The port the sidecar calls: the Dapr subscription port, or, for an app only reached by service
   * invocation (the chat-agent), its HTTP API; none for an app Dapr never calls (the gateway only
   * publishes and invokes), since daprd reports ready only once the app port answers.
   */
  daprAppPort?: number;
  /** Variables read from Secrets: name → [secret, key, optional]. */
  secrets: Record<string, readonly [string, string, boolean?]>;
  /** Reached from outside the cluster through the Ingress. */
  public: boolean;
  /** Calls services on the internet over HTTPS (an LLM provider, browsers' push services). */
  internetEgress: boolean;
  /** App ids whose sidecars it invokes (service invocation between sidecars). */
  invokes: AppId[];
}

const openAiKey = ['openai-api-key', 'openai-api-key', true] as const;

export const DEPLOYABLES: Deployable[] = [
  {
    appId: 'gateway',
    project: 'gateway',
    root: 'apps/gateway',
    // Behind one proxy (the ingress controller): its X-Forwarded-For hop names the client.
    env: { CHAT_AGENT_TRANSPORT: 'dapr', CHAT_AGENT_APP_ID: 'chat-agent', HTTP_TRUST_PROXY: '1' },
    consumes: [],
    secrets: { OPENAI_API_KEY: openAiKey },
    public: true,
    internetEgress: false,
    invokes: ['chat-agent'],
  },
  {
    appId: 'chat-agent',
    project: 'chat-agent',
    root: 'apps/chat-agent',
    // conversations in the Dapr state store (dapr/components/statestore.yaml, scoped to chat-agent)
    env: { CONVERSATION_STORE: 'dapr', DAPR_STATE_STORE: 'statestore' },
    consumes: [],
    daprAppPort: HTTP_PORT,
    secrets: { OPENAI_API_KEY: openAiKey },
    public: false,
    internetEgress: true,
    invokes: [],
  },
  {
    appId: 'scheduler',
    project: 'scheduler',
    root: 'apps/scheduler',
    env: { REMINDER_TIMER: 'dapr-jobs' },
    consumes: [TOPICS.taskEvents, TOPICS.reminders],
    daprAppPort: DAPR_APP_PORT,
    secrets: {},
    public: false,
    internetEgress: true,
    invokes: [],
  },
  {
    appId: 'audit',
    project: 'audit',
    root: 'apps/audit',
    env: {},
    consumes: [TOPICS.taskEvents, TOPICS.reminders],
    daprAppPort: DAPR_APP_PORT,
    secrets: {},
    public: false,
    internetEgress: false,
    invokes: [],
  },
  {
    appId: 'realtime',
    project: 'realtime',
    root: 'apps/realtime',
    // every replica must see every event: the component with a consumer group per sidecar
    env: { DAPR_PUBSUB_NAME: 'pubsub-broadcast', OUTBOX_RELAY: 'false' },
    consumes: [TOPICS.taskUpdates, TOPICS.reminders],
    daprAppPort: DAPR_APP_PORT,
    secrets: {},
    public: true,
    internetEgress: false,
    invokes: [],
  },
];

/** The project whose image runs the migrations (`node main.js migrate`). */
export const MIGRATION_PROJECT = 'gateway';
