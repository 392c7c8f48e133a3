import type { OccurrenceDue } from './next-occurrence';
import type { ReminderState, ReminderTrigger } from './reminder';
import { planReminder, type ReminderSchedule, type ReminderTask } from './reminder-plan';

const NOW = new Date('2026-11-20T12:00:00Z');
const ZONE = 'UTC';
const HOUR = 3_600_000;
const at = (offsetHours: number) => new Date(NOW.getTime() + offsetHours * HOUR);
const dueIn = (offsetHours: number): OccurrenceDue => ({ allDay: false, at: at(offsetHours) });
const OFFSET: ReminderTrigger = { before: 'PT1H' };

function reminder(
  state: ReminderState,
  fireAt: Date | null,
  trigger: ReminderTrigger = OFFSET,
): ReminderSchedule & { trigger: ReminderTrigger } {
  return { trigger, fireAt, state, firedAt: state === 'fired' ? at(-100) : null };
}

const pending = (due: OccurrenceDue | null): ReminderTask => ({ status: 'pending', due, timeZone: ZONE });
const completed = (due: OccurrenceDue | null): ReminderTask => ({ status: 'completed', due, timeZone: ZONE });

describe('planReminder', () => {
  it('recomputes fireAt from the due', () => {
    expect(planReminder(reminder('scheduled', at(4)), pending(dueIn(10)), NOW)).toEqual({
      fireAt: at(9),
      state: 'scheduled',
      firedAt: null,
    });
  });

  it('keeps a scheduled reminder scheduled even when fireAt is now in the past (it fires at once)', () => {
    expect(planReminder(reminder('scheduled', at(4)), pending(dueIn(-3)), NOW)).toEqual({
      fireAt: at(-4),
      state: 'scheduled',
      firedAt: null,
    });
  });

  describe('completing the task', () => {
    it('cancels a scheduled reminder', () => {
      expect(planReminder(reminder('scheduled', at(4)), completed(dueIn(5)), NOW).state).toBe('cancelled');
    });

    it.each(['fired', 'missed', 'cancelled'] as const)('leaves a %s reminder as it is', (state) => {
      const current = reminder(state, at(-2));
      expect(planReminder(current, completed(dueIn(-1)), NOW)).toEqual({
        fireAt: at(-2),
        state,
        firedAt: current.firedAt,
      });
    });
  });

  describe('a task without a due', () => {
    it.each(['scheduled', 'cancelled'] as const)('cancels a %s offset reminder', (state) => {
      expect(planReminder(reminder(state, at(4)), pending(null), NOW)).toEqual({
        fireAt: null,
        state: 'cancelled',
        firedAt: null,
      });
    });

    it.each(['fired', 'missed'] as const)('leaves a %s offset reminder %s', (state) => {
      const current = reminder(state, at(-2));
      expect(planReminder(current, pending(null), NOW)).toEqual({
        fireAt: null,
        state,
        firedAt: current.firedAt,
      });
    });

    it('keeps an absolute reminder scheduled', () => {
      const trigger = { at: at(3) };
      expect(planReminder(reminder('scheduled', at(3), trigger), pending(null), NOW)).toEqual({
        fireAt: at(3),
        state: 'scheduled',
        firedAt: null,
      });
    });
  });

  describe('a cancelled reminder on a pending task', () => {
    it('is scheduled again when it would fire in the future (task reopened)', () => {
      expect(planReminder(reminder('cancelled', at(4)), pending(dueIn(5)), NOW)).toEqual({
        fireAt: at(4),
        state: 'scheduled',
        firedAt: null,
      });
    });

    it('is scheduled again when the task gets a due back', () => {
      expect(planReminder(reminder('cancelled', null), pending(dueIn(5)), NOW).state).toBe('scheduled');
    });

    it('stays cancelled when it would fire in the past', () => {
      expect(planReminder(reminder('cancelled', at(-4)), pending(dueIn(-3)), NOW)).toEqual({
        fireAt: at(-4),
        state: 'cancelled',
        firedAt: null,
      });
      expect(planReminder(reminder('cancelled', at(-1)), pending(dueIn(1)), NOW).state).toBe('cancelled');
    });
  });

  describe.each(['fired', 'missed'] as const)('a %s reminder on a pending task', (state) => {
    it('is scheduled again (firedAt cleared) when the task moves to the future', () => {
      expect(planReminder(reminder(state, at(-2)), pending(dueIn(24)), NOW)).toEqual({
        fireAt: at(23),
        state: 'scheduled',
        firedAt: null,
      });
    });

    it('stays when fireAt did not change (another field was edited, or the task reopened)', () => {
      const current = reminder(state, at(-2));
      expect(planReminder(current, pending(dueIn(-1)), NOW)).toEqual({
        fireAt: at(-2),
        state,
        firedAt: current.firedAt,
      });
      const absolute = reminder(state, at(-2), { at: at(-2) });
      expect(planReminder(absolute, pending(dueIn(24)), NOW).state).toBe(state);
    });

    it('stays when the task moves but fireAt is still in the past', () => {
      const current = reminder(state, at(-5));
      expect(planReminder(current, pending(dueIn(-1)), NOW)).toEqual({
        fireAt: at(-2),
        state,
        firedAt: current.firedAt,
      });
      expect(planReminder(current, pending(dueIn(1)), NOW).state).toBe(state); // fires exactly now
    });
  });
});
