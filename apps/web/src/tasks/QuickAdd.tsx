import { forwardRef, useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import type { Interpretation, Task } from '../api/contract';
import { useApp } from '../api/session';
import { durationInWords, PRIORITY_LABEL } from '../ui/format';
import { askNotificationPermissionOnce } from '../ui/notifications';
import { Icon } from '../ui/Icon';
import { dueInWords, wallTimeToInstant } from '../ui/time';
import { createBodyOf, draftOf, highlightQuickAdd, type SegmentKind } from './quick-add';
import { describeRule } from './recurrence';

const KIND_LABEL: Partial<Record<SegmentKind, string>> = {
  date: 'date',
  priority: 'priority',
  tag: 'tag',
  recurrence: 'repeat',
  reminder: 'reminder',
};

/** Todoist-style quick add: shows what the parser understood while typing, creates on Enter. */
export const QuickAdd = forwardRef<HTMLInputElement, { onCreated(task: Task): void }>(function QuickAdd(
  { onCreated },
  ref,
) {
  const { api, user } = useApp();
  const [text, setText] = useState('');
  const [interpretation, setInterpretation] = useState<Interpretation | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const pending = useRef<Promise<Interpretation | null>>(Promise.resolve(null));
  const latest = useRef('');

  useEffect(() => {
    latest.current = text;
    if (!text.trim()) {
      setInterpretation(null);
      pending.current = Promise.resolve(null);
      return;
    }
    let cleanup = () => undefined as void;
    const request = new Promise<Interpretation | null>((resolve) => {
      const timer = setTimeout(() => {
        api
          .interpret({ message: text, time_zone: user.time_zone })
          .then((result) => {
            if (latest.current === text) setInterpretation(result);
            resolve(result);
          })
          .catch(() => resolve(null));
      }, 120);
      cleanup = () => {
        clearTimeout(timer);
        resolve(null);
      };
    });
    pending.current = request;
    return () => cleanup();
  }, [text, api, user.time_zone]);

  const draft = draftOf(interpretation);
  const segments = highlightQuickAdd(text, draft);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const typed = text.trim();
    if (!typed || busy) return;
    setBusy(true);
    setError(null);
    try {
      const settled = draftOf(await pending.current) ?? draft;
      const body = settled ? createBodyOf(settled, user.time_zone) : { title: typed };
      if (body.reminders?.length) askNotificationPermissionOnce();
      const task = await api.createTask(body);
      onCreated(task);
      setText('');
      setInterpretation(null);
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : 'Could not add the task. Try again.');
    } finally {
      setBusy(false);
    }
  };

  const dueText = draft?.due
    ? dueInWords(
        draft.due.length === 10 ? draft.due : wallTimeToInstant(draft.due, user.time_zone),
        user.time_zone,
      )
    : null;

  return (
    <form className="quick-add" onSubmit={submit} role="search" aria-label="Quick add">
      <div className="quick-add-row">
        <span className="quick-add-plus" aria-hidden="true">
          +
        </span>
        <input
          ref={ref}
          value={text}
          onChange={(event) => setText(event.target.value)}
          placeholder='Add a task: "dentist fri 2pm p1 #health remind me 1h before"'
          aria-label="Quick add a task (press q)"
          aria-describedby="quick-add-preview"
          autoComplete="off"
          enterKeyHint="done"
        />
        <button className="primary" type="submit" disabled={!text.trim() || busy}>
          Add
        </button>
      </div>
      <div id="quick-add-preview" className="quick-add-preview" aria-live="polite">
        {text.trim() && (
          <>
            <p className="parsed" data-testid="quick-add-parsed">
              {segments.map((segment, index) =>
                segment.kind === 'title' || segment.kind === 'command' ? (
                  <span key={index} className={`seg seg-${segment.kind}`}>
                    {segment.text}
                  </span>
                ) : (
                  <mark key={index} className={`seg seg-${segment.kind}`} title={KIND_LABEL[segment.kind]}>
                    {segment.text}
                  </mark>
                ),
              )}
            </p>
            {draft ? (
              <p className="will-create" data-testid="quick-add-will-create">
                <strong>{draft.title}</strong>
                {dueText && (
                  <span className="chip chip-date">
                    <Icon name="calendar" /> {dueText}
                  </span>
                )}
                {draft.priority && (
                  <span className={`chip prio-${draft.priority}`}>
                    <Icon name="flag" /> {PRIORITY_LABEL[draft.priority]}
                  </span>
                )}
                {draft.tags?.map((tag) => (
                  <span key={tag} className="chip chip-tag">
                    #{tag}
                  </span>
                ))}
                {draft.recurrence && (
                  <span className="chip chip-repeat">
                    <Icon name="repeat" />{' '}
                    {describeRule(draft.recurrence.rrule, draft.due ?? null, draft.recurrence.from)}
                  </span>
                )}
                {draft.reminders?.map((reminder, index) => (
                  <span key={index} className="chip chip-reminder">
                    <Icon name="bell" />{' '}
                    {'before' in reminder ? durationInWords(reminder.before) : reminder.at.replace('T', ' ')}
                  </span>
                ))}
              </p>
            ) : (
              interpretation && (
                <p className="hint">
                  {interpretation.question ??
                    'This reads as a command for the assistant; Enter adds it as a title.'}
                </p>
              )
            )}
          </>
        )}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </div>
    </form>
  );
});
