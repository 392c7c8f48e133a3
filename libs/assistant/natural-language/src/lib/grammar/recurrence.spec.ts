import { normalizeRrule } from '@todo/reminders';
import { Utterance } from '../text/utterance';
import { Clock } from '../when/clock';
import { firstOccurrence, takeRecurrence } from './recurrence';

function repeat(text: string) {
  const utterance = new Utterance(text);
  const phrase = takeRecurrence(utterance);
  return { ...phrase?.recurrence, time: phrase?.time, rest: utterance.rest() };
}

describe('takeRecurrence', () => {
  it.each([
    ['every day', 'FREQ=DAILY'],
    ['daily', 'FREQ=DAILY'],
    ['every weekday', 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR'],
    ['every work day', 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR'],
    ['on weekends', 'FREQ=WEEKLY;BYDAY=SA,SU'],
    ['every monday', 'FREQ=WEEKLY;BYDAY=MO'],
    ['every mon, wed and fri', 'FREQ=WEEKLY;BYDAY=MO,WE,FR'],
    ['on tuesdays and thursdays', 'FREQ=WEEKLY;BYDAY=TU,TH'],
    ['weekly on friday', 'FREQ=WEEKLY;BYDAY=FR'],
    ['every 3 days', 'FREQ=DAILY;INTERVAL=3'],
    ['every two weeks', 'FREQ=WEEKLY;INTERVAL=2'],
    ['every 2 weeks on sunday', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=SU'],
    ['every other week', 'FREQ=WEEKLY;INTERVAL=2'],
    ['every other monday', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO'],
    ['every second sunday', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=SU'],
    ['every 6 months', 'FREQ=MONTHLY;INTERVAL=6'],
    ['every year', 'FREQ=YEARLY'],
    ['annually', 'FREQ=YEARLY'],
    ['every hour', 'FREQ=HOURLY'],
    ['every 3rd thursday', 'FREQ=MONTHLY;BYDAY=3TH'],
    ['every 2nd saturday', 'FREQ=MONTHLY;BYDAY=2SA'],
    ['every first monday of the month', 'FREQ=MONTHLY;BYDAY=1MO'],
    ['every last friday of the month', 'FREQ=MONTHLY;BYDAY=-1FR'],
    ['on the last friday of every month', 'FREQ=MONTHLY;BYDAY=-1FR'],
    ['every last day of the month', 'FREQ=MONTHLY;BYMONTHDAY=-1'],
    ['monthly on the last day', 'FREQ=MONTHLY;BYMONTHDAY=-1'],
    ['on the 1st of every month', 'FREQ=MONTHLY;BYMONTHDAY=1'],
    ['every month on the 15th', 'FREQ=MONTHLY;BYMONTHDAY=15'],
    ['every 15th', 'FREQ=MONTHLY;BYMONTHDAY=15'],
    ['every year on March 3', 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=3'],
    ['every June 12th', 'FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=12'],
    ['every 29 feb', 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29'],
  ])('%s → %s', (text, rrule) => {
    expect(repeat(text)).toEqual({ rrule, from: 'due', time: undefined, rest: '' });
    expect(normalizeRrule(rrule).ok).toBe(true);
  });

  it('repeats from the completion with every!', () => {
    expect(repeat('every! 3 months')).toMatchObject({ rrule: 'FREQ=MONTHLY;INTERVAL=3', from: 'completion' });
  });

  it('gives a day part repeat its time', () => {
    expect(repeat('every morning')).toMatchObject({ rrule: 'FREQ=DAILY', time: '09:00' });
    expect(repeat('every evening')).toMatchObject({ rrule: 'FREQ=DAILY', time: '18:00' });
  });

  it.each(['Weekly review', 'Read the daily news digest', 'Every 30 feb'])('is no repeat in %s', (text) => {
    expect(repeat(text).rrule).toBeUndefined();
  });

  it('leaves the time of day to the due', () => {
    expect(repeat('Team sync every monday at 10am')).toMatchObject({
      rrule: 'FREQ=WEEKLY;BYDAY=MO',
      rest: 'Team sync at 10am',
    });
  });
});

describe('firstOccurrence', () => {
  const mondayMorning = Clock.at('2026-11-23T09:00', 'America/New_York');
  const tuesdayMorning = Clock.at('2026-11-24T09:00', 'America/New_York');

  it.each([
    ['FREQ=WEEKLY;BYDAY=MO', { time: '10:00' }, mondayMorning, '2026-11-23T10:00'],
    ['FREQ=WEEKLY;BYDAY=MO', { time: '08:00' }, mondayMorning, '2026-11-30T08:00'],
    ['FREQ=WEEKLY;BYDAY=MO', {}, mondayMorning, '2026-11-23'],
    ['FREQ=DAILY;INTERVAL=3', {}, mondayMorning, '2026-11-23'],
    ['FREQ=WEEKLY;INTERVAL=2;BYDAY=MO', {}, tuesdayMorning, '2026-11-30'],
    ['FREQ=MONTHLY;BYDAY=3TH', { time: '19:00' }, mondayMorning, '2026-12-17T19:00'],
    ['FREQ=MONTHLY;BYMONTHDAY=-1', {}, mondayMorning, '2026-11-30'],
    ['FREQ=MONTHLY;BYMONTHDAY=1', {}, mondayMorning, '2026-12-01'],
    ['FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=3', {}, mondayMorning, '2027-03-03'],
    ['FREQ=DAILY', { date: '2026-12-01' }, mondayMorning, '2026-12-01'],
    ['FREQ=HOURLY', {}, mondayMorning, '2026-11-23T09:00'],
  ])('%s %j → %s (now %#)', (rrule, start, clock, due) => {
    expect(firstOccurrence(rrule, start, clock)).toBe(due);
  });
});
