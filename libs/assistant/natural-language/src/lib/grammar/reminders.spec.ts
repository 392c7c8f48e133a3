import { Clarification } from '../questions';
import { Utterance } from '../text/utterance';
import { Clock } from '../when/clock';
import { takeOffset, takeReminders } from './reminders';

const clock = Clock.at('2026-11-23T09:00', 'America/New_York');

function reminders(text: string) {
  const utterance = new Utterance(text);
  return { reminders: takeReminders(utterance, clock), rest: utterance.rest() };
}

describe('takeReminders', () => {
  it.each([
    ['Buy milk, remind me 1 hour before', [{ before: 'PT1H' }]],
    ['Buy milk, reminder 15 minutes before', [{ before: 'PT15M' }]],
    ['Buy milk, remind me a day before', [{ before: 'P1D' }]],
    ['Buy milk, alert me 2 days before', [{ before: 'P2D' }]],
    ['Buy milk, remind me 30 min beforehand', [{ before: 'PT30M' }]],
    ['Buy milk, remind me 1 day and 2 hours before', [{ before: 'P1DT2H' }]],
    ['Buy milk, remind me a day before and an hour before', [{ before: 'P1D' }, { before: 'PT1H' }]],
    ['Buy milk, remind me', [{ before: 'PT0S' }]],
    ['Buy milk with a reminder', [{ before: 'PT0S' }]],
    ['Buy milk, remind me at 4pm', [{ at: { time: '16:00', date: undefined } }]],
    ['Buy milk, remind me tomorrow at 9am', [{ at: { date: '2026-11-24', time: '09:00' } }]],
  ])('%s', (text, expected) => {
    expect(reminders(text)).toEqual({ reminders: expected, rest: 'Buy milk' });
  });

  it('leaves a "remind me" that is no reminder phrase to the title', () => {
    expect(reminders('Buy a reminder card')).toEqual({ reminders: [], rest: 'Buy a reminder card' });
  });

  it('asks for an offset the contract cannot hold (months)', () => {
    expect(() => reminders('Renew passport, remind me a month before')).toThrow(Clarification);
  });
});

describe('takeOffset', () => {
  it('takes "<duration> before" without a reminder word', () => {
    const utterance = new Utterance('15 minutes before the standup');
    expect(takeOffset(utterance)).toBe('PT15M');
    expect(utterance.rest()).toBe('the standup');
  });
});
