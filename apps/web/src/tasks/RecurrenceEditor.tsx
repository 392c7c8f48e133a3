import { useId, useState } from 'react';
import { Icon } from '../ui/Icon';
import {
  describeRule,
  nextDates,
  presetOfRule,
  RECURRENCE_PRESETS,
  type RecurrencePreset,
  ruleOfPreset,
} from './recurrence';

export interface RecurrenceValue {
  rrule: string;
  from: 'due' | 'completion';
}

const PRESET_LABEL: Record<RecurrencePreset, string> = {
  none: 'Does not repeat',
  daily: 'Every day',
  weekdays: 'Every weekday',
  weekly: 'Every week',
  monthly: 'Every month',
  yearly: 'Every year',
  custom: 'Custom rule…',
};

/** Presets and a custom RRULE, `every` vs `every!`, the rule in words and its next dates. */
export function RecurrenceEditor({
  value,
  dueWall,
  onChange,
}: {
  value: RecurrenceValue | null;
  dueWall: string | null;
  onChange(value: RecurrenceValue | null): void;
}) {
  const id = useId();
  const [preset, setPreset] = useState<RecurrencePreset>(() => presetOfRule(value?.rrule ?? null, dueWall));
  const from = value?.from ?? 'due';
  const words = value ? describeRule(value.rrule, dueWall, from) : null;
  const upcoming = value ? nextDates(value.rrule, dueWall, 3) : [];

  const choose = (next: RecurrencePreset) => {
    setPreset(next);
    if (next === 'none') return onChange(null);
    if (next === 'custom') return onChange({ rrule: value?.rrule ?? 'FREQ=WEEKLY;INTERVAL=2', from });
    onChange({ rrule: ruleOfPreset(next, dueWall) as string, from });
  };

  return (
    <fieldset className="recurrence">
      <legend>Repeat</legend>
      <div className="field-row">
        <label htmlFor={`${id}-preset`} className="visually-hidden">
          Repeat
        </label>
        <select
          id={`${id}-preset`}
          value={preset}
          onChange={(event) => choose(event.target.value as RecurrencePreset)}
        >
          {RECURRENCE_PRESETS.map((option) => (
            <option key={option} value={option}>
              {PRESET_LABEL[option]}
            </option>
          ))}
        </select>
        {value && (
          <>
            <label htmlFor={`${id}-from`} className="visually-hidden">
              Counted from
            </label>
            <select
              id={`${id}-from`}
              value={from}
              onChange={(event) =>
                onChange({ ...value, from: event.target.value as RecurrenceValue['from'] })
              }
            >
              <option value="due">from due date</option>
              <option value="completion">from completion</option>
            </select>
          </>
        )}
      </div>
      {preset === 'custom' && value && (
        <label>
          Rule (RFC 5545 RRULE)
          <input
            value={value.rrule}
            onChange={(event) => onChange({ ...value, rrule: event.target.value.toUpperCase() })}
            spellCheck={false}
            aria-invalid={!words}
          />
        </label>
      )}
      {value && (
        <div className="recurrence-summary" data-testid="recurrence-summary">
          {words ? (
            <p>
              <Icon name="repeat" /> {words}
            </p>
          ) : (
            <p className="error">This rule cannot be read; check its parts.</p>
          )}
          {!dueWall && <p className="hint">Give the task a due date to see the next dates.</p>}
          {upcoming.length > 0 && (
            <p className="hint">
              Next: <span data-testid="recurrence-next">{upcoming.join(' · ')}</span>
            </p>
          )}
        </div>
      )}
    </fieldset>
  );
}
