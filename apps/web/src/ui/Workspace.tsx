import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError } from '../api/client';
import type { ReminderInput, Task } from '../api/contract';
import { useApp } from '../api/session';
import { ChatPanel } from '../chat/ChatPanel';
import { useLive } from '../live/useLive';
import { type OpenTaskMessage, taskIdInPath } from '../push/reminder-push';
import { FilterBar } from '../tasks/FilterBar';
import { QuickAdd } from '../tasks/QuickAdd';
import { TaskDetail } from '../tasks/TaskDetail';
import { TaskRow } from '../tasks/TaskRow';
import { useTaskList } from '../tasks/useTaskList';
import { useViewCounts } from '../tasks/useViewCounts';
import { type Filters, NO_FILTERS, queryOf, type ViewId, VIEWS } from '../tasks/views';
import { ShortcutsDialog } from './Dialog';
import { Rail } from './Rail';
import { useShortcuts } from './useShortcuts';
import { showBrowserNotification } from './notifications';
import { SettingsDialog } from './SettingsDialog';
import { ToastProvider, useLatestToastAction, useToast } from './Toasts';
import { dueInWords } from './time';

/** What the connection indicator says: a word, and (on wide screens) what is happening. */
const LIVE_LABEL = {
  connecting: ['Connecting', '…'],
  live: ['Live', ''],
  'catching-up': ['Catching up', '…'],
  offline: ['Offline', ', retrying…'],
} as const;

function useDebounced<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}

/** The reminders of a deleted task that can be set again: offsets, and times still in the future. */
const stillAhead = (reminders: Task['reminders']): ReminderInput[] =>
  reminders
    .filter((reminder) => reminder.state === 'scheduled')
    .flatMap((reminder): ReminderInput[] =>
      reminder.before
        ? [{ before: reminder.before }]
        : reminder.at && Date.parse(reminder.at) > Date.now()
          ? [{ at: reminder.at }]
          : [],
    );

export function Workspace() {
  return (
    <ToastProvider>
      <WorkspaceScreen />
    </ToastProvider>
  );
}

function WorkspaceScreen() {
  const { api, user, token, signOut } = useApp();
  const notify = useToast();
  const undoLatest = useLatestToastAction();
  const zone = user.time_zone;
  const [view, setView] = useState<ViewId>('inbox');
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const settledFilters = useDebounced(filters, 200);
  const query = useMemo(() => queryOf(view, settledFilters, zone), [view, settledFilters, zone]);
  const viewCounts = useViewCounts(api, zone);
  const list = useTaskList(api, query, zone, viewCounts.observe);
  // The selected task by id: tasks arriving above it (live, quick add) must not move the selection.
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const lastSelected = useRef(0);
  const [openTask, setOpenTask] = useState<Task | null>(null);
  const [dialog, setDialog] = useState<'shortcuts' | 'settings' | null>(null);
  const [mobileTab, setMobileTab] = useState<'tasks' | 'chat'>('tasks');
  const [chatOpen, setChatOpen] = useState(true);
  const counts = viewCounts.counts;
  const quickAddRef = useRef<HTMLInputElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const chatRef = useRef<HTMLTextAreaElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const sentinelRef = useRef<HTMLLIElement>(null);
  const openerRef = useRef<HTMLElement | null>(null);

  /** Any task state we learn (our answers, the live socket), applied everywhere it shows. */
  const learn = useCallback(
    (task: Task, change: Parameters<typeof list.apply>[1], flash = false) => {
      list.apply(task, change, flash);
      setOpenTask((current) =>
        current && current.id === task.id && task.version >= current.version
          ? change === 'deleted'
            ? null
            : task
          : current,
      );
      viewCounts.apply(task, change);
    },
    [list, viewCounts.apply],
  );

  const live = useLive(token, {
    onTask: (message) => learn(message.task, message.change, true),
    onReminder: (message) => {
      const due = message.task.due ? ` — due ${dueInWords(message.task.due, zone)}` : '';
      notify({ tone: 'reminder', message: `Reminder: ${message.task.title}${due}` }, 20_000);
      showBrowserNotification(`Reminder: ${message.task.title}`, due.replace(' — ', ''), message.reminder.id);
    },
    onRefetch: () => {
      void list.reload();
      void viewCounts.refresh();
    },
    onUnauthorized: signOut,
  });

  const openTaskPanel = (task: Task) => {
    openerRef.current = document.activeElement as HTMLElement | null;
    setOpenTask(task);
    setMobileTab('tasks');
  };

  const openTaskById = async (id: string) => {
    try {
      openTaskPanel(await api.getTask(id));
    } catch (failure) {
      notify({
        tone: 'error',
        message: failure instanceof ApiError ? failure.message : 'Could not open the task.',
      });
    }
  };

  // A clicked push notification: the service worker opened /tasks/<id>, or asks this open window.
  const openTaskByIdRef = useRef(openTaskById);
  openTaskByIdRef.current = openTaskById;
  useEffect(() => {
    const fromAddress = taskIdInPath(location.pathname);
    if (fromAddress) {
      history.replaceState(null, '', '/');
      void openTaskByIdRef.current(fromAddress);
    }
    const worker = navigator.serviceWorker;
    const onMessage = (event: MessageEvent<Partial<OpenTaskMessage>>) => {
      if (event.data?.type === 'open-task' && typeof event.data.task_id === 'string')
        void openTaskByIdRef.current(event.data.task_id);
    };
    worker?.addEventListener('message', onMessage);
    return () => worker?.removeEventListener('message', onMessage);
  }, []);

  const closePanel = () => {
    setOpenTask(null);
    const opener = openerRef.current;
    requestAnimationFrame(() => (opener?.isConnected ? opener.focus() : quickAddRef.current?.focus()));
  };

  const toggle = async (task: Task) => {
    try {
      const completing = task.status === 'pending';
      const changed = completing ? await api.completeTask(task.id) : await api.reopenTask(task.id);
      learn(changed, completing ? 'completed' : 'reopened');
      notify({
        message: completing ? `Completed “${task.title}”` : `Reopened “${task.title}”`,
        action: {
          label: 'Undo',
          run: () =>
            void (completing ? api.reopenTask(task.id) : api.completeTask(task.id))
              .then((undone) => learn(undone, completing ? 'reopened' : 'completed'))
              .catch(() => notify({ tone: 'error', message: 'Could not undo.' })),
        },
      });
    } catch (failure) {
      notify({
        tone: 'error',
        message: failure instanceof ApiError ? failure.message : 'Could not change the task.',
      });
    }
  };

  const remove = async (task: Task) => {
    try {
      await api.deleteTask(task.id);
      learn(task, 'deleted');
      if (openTask?.id === task.id) closePanel();
      notify({
        message: `Deleted “${task.title}”`,
        action: {
          label: 'Undo',
          run: () =>
            void api
              .createTask({
                title: task.title,
                description: task.description,
                priority: task.priority,
                tags: task.tags,
                due: task.due,
                recurrence: task.recurrence,
                reminders: stillAhead(task.reminders),
              })
              .then((restored) => learn(restored, 'created', true))
              .catch(() => notify({ tone: 'error', message: 'Could not restore the task.' })),
        },
      });
    } catch (failure) {
      notify({
        tone: 'error',
        message: failure instanceof ApiError ? failure.message : 'Could not delete the task.',
      });
    }
  };

  const focusRow = (index: number) => {
    const rows = listRef.current?.querySelectorAll<HTMLElement>('[data-row-focus]');
    if (!rows?.length) return;
    const next = Math.max(0, Math.min(rows.length - 1, index));
    setSelectedId(list.items[next]?.id ?? null);
    rows[next].focus();
    rows[next].scrollIntoView({ block: 'nearest' });
  };

  // When the selected task leaves the list (completed, deleted), the one now in its place is selected.
  const found = list.items.findIndex((task) => task.id === selectedId);
  const selected = found >= 0 ? found : Math.max(0, Math.min(lastSelected.current, list.items.length - 1));
  lastSelected.current = selected;
  const selectedTask = list.items[selected];
  useShortcuts({
    onEscape: openTask ? closePanel : undefined,
    actions: {
      q: () => {
        setMobileTab('tasks');
        quickAddRef.current?.focus();
      },
      '/': () => {
        setMobileTab('tasks');
        searchRef.current?.focus();
      },
      j: () => focusRow(selected + 1),
      k: () => focusRow(selected - 1),
      x: () => selectedTask && void toggle(selectedTask),
      e: () => selectedTask && openTaskPanel(selectedTask),
      c: () => {
        setChatOpen(true);
        setMobileTab('chat');
        requestAnimationFrame(() => chatRef.current?.focus());
      },
      z: () => void undoLatest(),
      '?': () => setDialog('shortcuts'),
    },
  });

  useEffect(() => {
    const sentinel = sentinelRef.current;
    if (!sentinel) return;
    const observer = new IntersectionObserver((entries) => entries[0]?.isIntersecting && list.loadMore(), {
      rootMargin: '400px',
    });
    observer.observe(sentinel);
    return () => observer.disconnect();
  }, [list]);

  const viewLabel = view.startsWith('tag:')
    ? `#${view.slice(4)}`
    : VIEWS.find((entry) => entry.id === view)?.label;
  const emptyText = VIEWS.find((entry) => entry.id === view)?.empty ?? 'No tasks with this tag.';
  const filtered = JSON.stringify(settledFilters) !== JSON.stringify(NO_FILTERS);

  return (
    <div
      className={`app tab-${mobileTab}${chatOpen ? '' : ' chat-collapsed'}${openTask ? ' detail-open' : ''}`}
    >
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            ✓
          </span>
          <span>Todo assistant</span>
        </div>
        <span className={`live live-${live}`} role="status" data-testid="live-status" data-status={live}>
          <span className="live-dot" aria-hidden="true" />
          <span>
            {LIVE_LABEL[live][0]}
            <span className="hide-narrow">{LIVE_LABEL[live][1]}</span>
          </span>
        </span>
        <div className="topbar-actions">
          <button
            className="ghost hide-narrow"
            onClick={() => setChatOpen(!chatOpen)}
            aria-pressed={chatOpen}
          >
            {chatOpen ? 'Hide assistant' : 'Show assistant'}
          </button>
          <button
            className="ghost"
            onClick={() => setDialog('shortcuts')}
            aria-label="Keyboard shortcuts (?)"
          >
            ?
          </button>
          <button className="ghost" onClick={() => setDialog('settings')}>
            Settings
          </button>
          <button className="ghost" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>

      <Rail view={view} counts={counts} onView={setView} />

      <main className="tasks-pane" aria-labelledby="view-heading">
        <div className="pane-heading">
          <h1 id="view-heading">{viewLabel}</h1>
          <label className="view-picker">
            <span className="visually-hidden">View</span>
            <select value={view} onChange={(event) => setView(event.target.value as ViewId)}>
              {VIEWS.map((entry) => (
                <option key={entry.id} value={entry.id}>
                  {entry.label}
                  {counts[entry.id] === undefined ? '' : ` (${counts[entry.id]})`}
                </option>
              ))}
              {counts.tags.map((tag) => (
                <option key={tag} value={`tag:${tag}`}>
                  #{tag}
                </option>
              ))}
            </select>
          </label>
        </div>
        <QuickAdd
          ref={quickAddRef}
          onCreated={(task) => {
            learn(task, 'created', true);
            notify({ message: `Added “${task.title}”` }, 3000);
          }}
        />
        <FilterBar ref={searchRef} filters={filters} onChange={setFilters} />
        {list.error && (
          <p className="error" role="alert">
            {list.error}{' '}
            <button className="link" onClick={() => void list.reload()}>
              Try again
            </button>
          </p>
        )}
        <ul className="task-list" ref={listRef} aria-label={`${viewLabel} tasks`} aria-busy={list.loading}>
          {list.items.map((task, index) => (
            <TaskRow
              key={task.id}
              task={task}
              zone={zone}
              selected={index === selected}
              flashed={list.flashed.has(task.id)}
              onOpen={openTaskPanel}
              onToggle={(target) => void toggle(target)}
              onSelect={() => setSelectedId(task.id)}
            />
          ))}
          {list.loading &&
            list.items.length === 0 &&
            [0, 1, 2].map((index) => <li key={index} className="task-row skeleton" aria-hidden="true" />)}
          {!list.loading && list.items.length === 0 && !list.error && (
            <li className="empty">{filtered ? 'No tasks match these filters.' : emptyText}</li>
          )}
          <li ref={sentinelRef} className="sentinel" aria-hidden="true">
            {list.loading && list.items.length > 0 ? 'Loading more…' : ''}
          </li>
        </ul>
      </main>

      {openTask && (
        <TaskDetail
          key={openTask.id}
          task={openTask}
          onClose={closePanel}
          onChanged={(task) => learn(task, 'updated')}
          onToggle={(task) => void toggle(task)}
          onDelete={(task) => void remove(task)}
        />
      )}

      <div className="chat-column">
        <ChatPanel
          ref={chatRef}
          onOpenTask={(id) => void openTaskById(id)}
          onTasksChanged={() => {
            void list.reload();
            void viewCounts.refresh();
          }}
        />
      </div>

      <nav className="mobile-tabs" aria-label="Sections">
        <button aria-pressed={mobileTab === 'tasks'} onClick={() => setMobileTab('tasks')}>
          Tasks
        </button>
        <button aria-pressed={mobileTab === 'chat'} onClick={() => setMobileTab('chat')}>
          Assistant
        </button>
      </nav>

      {dialog === 'shortcuts' && <ShortcutsDialog onClose={() => setDialog(null)} />}
      {dialog === 'settings' && <SettingsDialog onClose={() => setDialog(null)} />}
    </div>
  );
}
