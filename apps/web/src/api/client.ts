import type {
  ChatReply,
  ChatRequest,
  ConversationSummary,
  ConversationView,
  CreateTask,
  InterpretRequest,
  Interpretation,
  LoginInput,
  HistoryPage,
  PushSubscriptionInput,
  PushSubscriptionView,
  RegisterInput,
  Reminder,
  ReminderInput,
  Session,
  Task,
  TaskPage,
  TaskQuery,
  UpdateProfileInput,
  UpdateTask,
  User,
} from './contract';

/** A failed request, with the server's message (already written for people). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

type Query = Record<string, string | number | boolean | string[] | undefined>;

function queryString(query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) continue;
    params.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The REST API at `/api/v1` of this origin, typed by the workspace's contracts. */
export class ApiClient {
  constructor(
    private readonly token: () => string | null,
    private readonly onUnauthorized: () => void = () => undefined,
    private readonly base = '/api/v1',
  ) {}

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    const token = this.token();
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(this.base + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, 'offline', 'Cannot reach the server. Check your connection and try again.');
    }
    if (response.status === 204) return undefined as T;
    const payload = (await response.json().catch(() => null)) as
      (T & { error?: undefined }) | { error: { code: string; message: string; details?: unknown } } | null;
    if (!response.ok) {
      if (response.status === 401 && token) this.onUnauthorized();
      const error = payload && 'error' in payload && payload.error ? payload.error : undefined;
      throw new ApiError(
        response.status,
        error?.code ?? 'http_error',
        error?.message ?? `The server answered ${response.status}. Try again in a moment.`,
        error?.details,
      );
    }
    return payload as T;
  }

  register = (input: RegisterInput) => this.request<Session>('POST', '/auth/register', input);
  login = (input: LoginInput) => this.request<Session>('POST', '/auth/login', input);
  me = () => this.request<User>('GET', '/me');
  updateMe = (input: UpdateProfileInput) => this.request<User>('PATCH', '/me', input);

  listTasks = (query: TaskQuery) => this.request<TaskPage>('GET', `/tasks${queryString(query as Query)}`);
  getTask = (ref: string | number) => this.request<Task>('GET', `/tasks/${ref}`);
  createTask = (input: CreateTask) => this.request<Task>('POST', '/tasks', input);
  updateTask = (ref: string, patch: UpdateTask) => this.request<Task>('PATCH', `/tasks/${ref}`, patch);
  completeTask = (ref: string, version?: number) =>
    this.request<Task>('POST', `/tasks/${ref}/complete`, { version });
  reopenTask = (ref: string, version?: number) =>
    this.request<Task>('POST', `/tasks/${ref}/reopen`, { version });
  deleteTask = (ref: string) => this.request<void>('DELETE', `/tasks/${ref}`);
  history = (ref: string) => this.request<HistoryPage>('GET', `/tasks/${ref}/history?limit=100`);
  addReminder = (ref: string, input: ReminderInput) =>
    this.request<Reminder>('POST', `/tasks/${ref}/reminders`, input);
  removeReminder = (ref: string, id: string) => this.request<void>('DELETE', `/tasks/${ref}/reminders/${id}`);

  chat = (input: ChatRequest) => this.request<ChatReply>('POST', '/chat', input);
  interpret = (input: InterpretRequest) => this.request<Interpretation>('POST', '/chat/interpret', input);
  conversations = () => this.request<{ items: ConversationSummary[] }>('GET', '/chat/conversations');
  conversation = (id: string) => this.request<ConversationView>('GET', `/chat/conversations/${id}`);
  deleteConversation = (id: string) => this.request<void>('DELETE', `/chat/conversations/${id}`);
  vapidPublicKey = () => this.request<{ public_key: string }>('GET', '/push/vapid-public-key');
  pushSubscriptions = () => this.request<{ items: PushSubscriptionView[] }>('GET', '/push/subscriptions');
  subscribePush = (subscription: PushSubscriptionInput) =>
    this.request<PushSubscriptionView>('POST', '/push/subscriptions', subscription);
  unsubscribePush = (id: string) => this.request<void>('DELETE', `/push/subscriptions/${id}`);
  realtimeTicket = () => this.request<{ ticket: string; expires_at: string }>('POST', '/realtime/ticket');
}
