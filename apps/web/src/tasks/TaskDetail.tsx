import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import type { HistoryEntry, Task, UpdateTask } from '../api/contract';
import { useApp } from '../api/session';
import { durationInWords, PRIORITY_LABEL } from '../ui/format';
import { askNotificationPermissionOnce } from '../ui/notifications';
import { Icon } from '../ui/Icon';
import { dueInWords, instantToWallTime, wallTimeToInstant } from '../ui/time';
import { changedFields, type EditableField } from './conflict';
import { RecurrenceEditor, type RecurrenceValue } from './RecurrenceEditor';

interface Form {
  title: string;
  description: string;
  date: string;
  time: string;
  priority: Task['priority'];
  tags: string;
  recurrence: RecurrenceValue | null;
}

function formOf(task: Task): Form {
  const wall = task.due
    ? task.due.length === 10
      ? task.due
      : instantToWallTime(task.due, task.time_zone)
    : '';
  return {
    title: task.title,
    description: task.description ?? '',
    date: wall.slice(0, 10),
    time: wall.slice(11, 16),
    priority: task.priority,
    tags: task.tags.join(', '),
    recurrence: task.recurrence,
  };
}

function patchOf(form: Form, task: Task): UpdateTask {
  const due = form.date
    ? form.time
      ? wallTimeToInstant(`${form.date}T${form.time}`, task.time_zone)
      : form.date
    : null;
  return {
    title: form.title,
    description: form.description || null,
    due,
    priority: form.priority,
    tags: form.tags
      .split(/[,\s]+/)
      .map((tag) => tag.replace(/^#/, ''))
      .filter(Boolean),
    recurrence: form.recurrence,
  };
}

const REMINDER_OFFSETS = [
  ['PT0S', 'At the due time'],
  ['PT10M', '10 minutes before'],
  ['PT30M', '30 minutes before'],
  ['PT1H', '1 hour before'],
  ['P1D', '1 day before'],
] as const;

const FIELD_LABEL: Record<EditableField, string> = {
  title: 'Title',
  description: 'Description',
  due: 'Due',
  priority: 'Priority',
  tags: 'Tags',
  recurrence: 'Repeat',
};

function show(field: EditableField, task: Task): string {
  const value = task[field];
  if (value === null || value === undefined || (Array.isArray(value) && !value.length)) return '—';
  if (field === 'due') return dueInWords(String(value), task.time_zone);
  if (field === 'recurrence') return task.recurrence?.rrule ?? '—';
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

interface Props {
  task: Task;
  onClose(): void;
  onChanged(task: Task): void;
  onToggle(task: Task): void;
  onDelete(task: Task): void;
}

/** The side panel (full-screen sheet on phones) for one task: edit, reminders, actions, history. */
export function TaskDetail({ task, onClose, onChanged, onToggle, onDelete }: Props) {
  const { api, user } = useApp();
  const id = useId();
  const [form, setForm] = useState<Form>(() => formOf(task));
  const [base, setBase] = useState<Task>(task);
  const [dirty, setDirty] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [conflict, setConflict] = useState<{ current: Task; fields: EditableField[] } | null>(null);
  const [history, setHistory] = useState<HistoryEntry[] | null>(null);
  const [reminderAt, setReminderAt] = useState('');
  const titleRef = useRef<HTMLInputElement>(null);

  // A newer state from elsewhere: shown at once unless the user is in the middle of editing.
  useEffect(() => {
    if (task.version <= base.version) return;
    if (!dirty) {
      setForm(formOf(task));
      setBase(task);
    }
  }, [task, base.version, dirty]);

  useEffect(() => {
    titleRef.current?.focus();
  }, [task.id]);

  useEffect(() => {
    let live = true;
    api
      .history(task.id)
      .then((page) => live && setHistory(page.items))
      .catch(() => live && setHistory([]));
    return () => {
      live = false;
    };
  }, [api, task.id, task.version]);

  const edit = (patch: Partial<Form>) => {
    setForm((current) => ({ ...current, ...patch }));
    setDirty(true);
  };

  const save = async (version: number, event?: FormEvent) => {
    event?.preventDefault();
    setSaving(true);
    setError(null);
    try {
      const saved = await api.updateTask(task.id, { ...patchOf(form, task), version });
      setBase(saved);
      setDirty(false);
      setConflict(null);
      onChanged(saved);
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 409) {
        const current = await api.getTask(task.id);
        setConflict({ current, fields: changedFields(base, current) });
      } else setError(failure instanceof ApiError ? failure.message : 'Could not save. Try again.');
    } finally {
      setSaving(false);
    }
  };

  const useTheirs = () => {
    if (!conflict) return;
    setForm(formOf(conflict.current));
    setBase(conflict.current);
    setDirty(false);
    setConflict(null);
    onChanged(conflict.current);
  };

  const refresh = async () => onChanged(await api.getTask(task.id));

  const addReminder = async (input: { before: string } | { at: string }) => {
    setError(null);
    askNotificationPermissionOnce();
    try {
      await api.addReminder(task.id, input);
      await refresh();
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : 'Could not add the reminder.');
    }
  };

  const removeReminder = async (reminderId: string) => {
    try {
      await api.removeReminder(task.id, reminderId);
      await refresh();
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : 'Could not remove the reminder.');
    }
  };

  const timed = Boolean(task.due && task.due.length > 10);
  const done = task.status === 'completed';
  const dueWall = form.date ? (form.time ? `${form.date}T${form.time}` : form.date) : null;

  return (
    <aside className="detail" aria-labelledby={`${id}-heading`} data-testid="task-detail">
      <header className="detail-header">
        <h2 id={`${id}-heading`}>
          Task <span className="muted">#{task.number}</span>
        </h2>
        <button className="icon-button" onClick={onClose} aria-label="Close details (Esc)">
          ×
        </button>
      </header>
      <form className="detail-body" onSubmit={(event) => void save(base.version, event)}>
        {conflict && (
          <div className="conflict" role="alert">
            <p>
              <strong>This task changed elsewhere while you were editing.</strong>
            </p>
            {conflict.fields.length ? (
              <ul>
                {conflict.fields.map((field) => (
                  <li key={field}>
                    {FIELD_LABEL[field]}: now “{show(field, conflict.current)}”
                  </li>
                ))}
              </ul>
            ) : (
              <p>Its status or reminders changed; your fields were not touched.</p>
            )}
            <div className="button-row">
              <button type="button" className="primary" onClick={() => void save(conflict.current.version)}>
                Keep my changes
              </button>
              <button type="button" onClick={useTheirs}>
                Use theirs
              </button>
            </div>
          </div>
        )}
        <label>
          Title
          <input
            ref={titleRef}
            required
            value={form.title}
            onChange={(event) => edit({ title: event.target.value })}
          />
        </label>
        <label>
          Description
          <textarea
            rows={3}
            value={form.description}
            onChange={(event) => edit({ description: event.target.value })}
          />
        </label>
        <div className="field-row">
          <label>
            Due date
            <input type="date" value={form.date} onChange={(event) => edit({ date: event.target.value })} />
          </label>
          <label>
            Time
            <input
              type="time"
              title="Leave empty for an all-day task"
              value={form.time}
              disabled={!form.date}
              onChange={(event) => edit({ time: event.target.value })}
            />
          </label>
        </div>
        <div className="field-row">
          <label>
            Priority
            <select
              value={form.priority}
              onChange={(event) => edit({ priority: event.target.value as Task['priority'] })}
            >
              {(['urgent', 'high', 'medium', 'low', 'none'] as const).map((priority) => (
                <option key={priority} value={priority}>
                  {PRIORITY_LABEL[priority]}
                </option>
              ))}
            </select>
          </label>
          <label>
            Tags
            <input
              value={form.tags}
              onChange={(event) => edit({ tags: event.target.value })}
              placeholder="work, errands"
            />
          </label>
        </div>
        <RecurrenceEditor
          key={`${task.id}-${base.version}`}
          value={form.recurrence}
          dueWall={dueWall}
          onChange={(recurrence) => edit({ recurrence })}
        />
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="button-row">
          <button className="primary" type="submit" disabled={!dirty || saving}>
            {saving ? 'Saving…' : 'Save changes'}
          </button>
          <button type="button" onClick={() => onToggle(task)}>
            {done ? 'Reopen' : 'Complete'}
          </button>
          <button type="button" className="danger" onClick={() => onDelete(task)}>
            Delete
          </button>
        </div>
      </form>

      <section className="detail-section" aria-labelledby={`${id}-reminders`}>
        <h3 id={`${id}-reminders`}>Reminders</h3>
        {task.reminders.length === 0 && <p className="hint">No reminders yet.</p>}
        <ul className="plain-list">
          {task.reminders.map((reminder) => (
            <li key={reminder.id} className="reminder-item">
              <span>
                <Icon name="bell" />{' '}
                {reminder.before
                  ? durationInWords(reminder.before)
                  : dueInWords(reminder.at ?? '', user.time_zone)}
                {reminder.fire_at && reminder.before && (
                  <span className="muted"> · {dueInWords(reminder.fire_at, user.time_zone)}</span>
                )}
                <span className={`state state-${reminder.state}`}> {reminder.state}</span>
              </span>
              <button
                type="button"
                className="icon-button"
                aria-label="Remove reminder"
                onClick={() => void removeReminder(reminder.id)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
        {!done && (
          <div className="field-row">
            {timed && (
              <label>
                Remind me
                <select
                  value=""
                  onChange={(event) => event.target.value && void addReminder({ before: event.target.value })}
                >
                  <option value="">Add before due…</option>
                  {REMINDER_OFFSETS.map(([value, label]) => (
                    <option key={value} value={value}>
                      {label}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <label>
              At a time
              <input
                type="datetime-local"
                value={reminderAt}
                onChange={(event) => setReminderAt(event.target.value)}
              />
            </label>
            <button
              type="button"
              className="align-end"
              disabled={!reminderAt}
              onClick={() => {
                void addReminder({ at: wallTimeToInstant(reminderAt.slice(0, 16), user.time_zone) });
                setReminderAt('');
              }}
            >
              Add reminder
            </button>
          </div>
        )}
      </section>

      <section className="detail-section" aria-labelledby={`${id}-history`}>
        <h3 id={`${id}-history`}>History</h3>
        {history === null ? (
          <p className="hint">Loading history…</p>
        ) : history.length === 0 ? (
          <p className="hint">No history yet (it appears a moment after a change).</p>
        ) : (
          <ol className="history">
            {history.map((entry) => (
              <li key={entry.id}>
                <span className="history-action">{entry.action}</span>
                {entry.action === 'updated' && Object.keys(entry.changes).length > 0 && (
                  <span> {Object.keys(entry.changes).join(', ')}</span>
                )}
                <span className="muted">
                  {' '}
                  · {entry.actor.type === 'user' ? 'you' : entry.actor.id} ·{' '}
                  {dueInWords(entry.occurred_at, user.time_zone)}
                </span>
              </li>
            ))}
          </ol>
        )}
      </section>
    </aside>
  );
}
