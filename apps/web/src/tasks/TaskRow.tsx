import type { Task } from '../api/contract';
import { PRIORITY_LABEL } from '../ui/format';
import { Icon } from '../ui/Icon';
import { dueInWords } from '../ui/time';

interface Props {
  task: Task;
  zone: string;
  selected: boolean;
  flashed: boolean;
  onOpen(task: Task): void;
  onToggle(task: Task): void;
  onSelect(): void;
}

export function TaskRow({ task, zone, selected, flashed, onOpen, onToggle, onSelect }: Props) {
  const done = task.status === 'completed';
  const scheduledReminders = task.reminders.filter((reminder) => reminder.state === 'scheduled').length;
  return (
    <li
      className={`task-row${selected ? ' selected' : ''}${flashed ? ' flash' : ''}${done ? ' done' : ''}`}
      data-task-id={task.id}
      data-testid="task-row"
    >
      <button
        className={`check prio-ring-${task.priority}`}
        role="checkbox"
        aria-checked={done}
        aria-label={done ? `Reopen “${task.title}”` : `Complete “${task.title}”`}
        onClick={() => onToggle(task)}
      >
        <span aria-hidden="true">{done ? '✓' : ''}</span>
      </button>
      <button className="task-open" onClick={() => onOpen(task)} onFocus={onSelect} data-row-focus>
        <span className="task-title">{task.title}</span>
        <span className="task-meta">
          <span className="task-number">#{task.number}</span>
          {task.due && (
            <span className={`due${task.overdue && !done ? ' overdue' : ''}`}>
              <Icon name={task.overdue && !done ? 'warning' : 'calendar'} /> {dueInWords(task.due, zone)}
            </span>
          )}
          {task.priority !== 'none' && (
            <span className={`prio prio-${task.priority}`}>
              <Icon name="flag" /> {PRIORITY_LABEL[task.priority]}
            </span>
          )}
          {task.recurrence && (
            <span>
              <Icon name="repeat" /> repeats
            </span>
          )}
          {scheduledReminders > 0 && (
            <span>
              <Icon name="bell" /> {scheduledReminders} reminder{scheduledReminders > 1 ? 's' : ''}
            </span>
          )}
          {task.tags.map((tag) => (
            <span key={tag} className="chip chip-tag">
              #{tag}
            </span>
          ))}
        </span>
      </button>
    </li>
  );
}
