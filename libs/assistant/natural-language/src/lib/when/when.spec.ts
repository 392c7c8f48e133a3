import * as chrono from 'chrono-node';
import { Clarification } from '../questions';
import { Utterance } from '../text/utterance';
import { LEFT_OUT_CHRONO_PARSERS } from './chrono-dates';
import { Clock } from './clock';
import { takeWhen } from './when';
import { wallTimeFrom } from './when-parts';

const MONDAY_9AM_NEW_YORK = Clock.at('2026-11-23T09:00', 'America/New_York');

function read(text: string, clock = MONDAY_9AM_NEW_YORK) {
  const utterance = new Utterance(text);
  const parts = takeWhen(utterance, clock);
  return { due: parts && wallTimeFrom(parts, clock), rest: utterance.rest() };
}

describe('takeWhen', () => {
  it.each([
    ['tomorrow at 5pm', '2026-11-24T17:00'],
    ['on Friday at 2pm', '2026-11-27T14:00'],
    ['by next Monday', '2026-11-30'],
    ['next friday', '2026-12-04'],
    ['monday', '2026-11-23'],
    ['at 8am', '2026-11-24T08:00'],
    ['at 9:30 pm', '2026-11-23T21:30'],
    ['at 09:30', '2026-11-23T09:30'],
    ['tonight at 9', '2026-11-23T21:00'],
    ['tonight', '2026-11-23T20:00'],
    ['tomorrow morning', '2026-11-24T09:00'],
    ['this evening', '2026-11-23T18:00'],
    ['at noon', '2026-11-23T12:00'],
    ['at midnight', '2026-11-24T00:00'],
    ['on March 3 2027', '2027-03-03'],
    ['December 5', '2026-12-05'],
    ['2026-12-15 14:00', '2026-12-15T14:00'],
    ['in 2 hours', '2026-11-23T11:00'],
    ['in 3 days', '2026-11-26'],
    ['a week from now', '2026-11-30'],
    ['the day after tomorrow', '2026-11-25'],
    ['next week', '2026-11-30'],
    ['next month', '2026-12-01'],
    ['end of week', '2026-11-29'],
    ['end of the month', '2026-11-30'],
    ['this weekend', '2026-11-28'],
    ['on the 5th', '2026-12-05'],
    ['by the 23rd', '2026-11-23'],
    ['12/15', '2026-12-15'],
    ['15.12.2026', '2026-12-15'],
  ])('%s → %s', (text, due) => {
    expect(read(text)).toEqual({ due, rest: '' });
  });

  it('adds real durations in the zone: 01:30 + 2 h on a spring-forward night is 04:30', () => {
    expect(read('in 2 hours', Clock.at('2027-03-14T01:30', 'America/New_York')).due).toBe('2027-03-14T04:30');
    expect(read('in 1 hour', Clock.at('2027-03-28T01:30', 'Europe/Berlin')).due).toBe('2027-03-28T03:30');
  });

  it('reads calendar days as wall dates across a DST change', () => {
    expect(read('tomorrow 9am', Clock.at('2027-03-27T10:00', 'Europe/Berlin')).due).toBe('2027-03-28T09:00');
  });

  it('reads "3/4" in the order of the zone, and asks where the zone does not say', () => {
    expect(read('on 3/4').due).toBe('2027-03-04');
    expect(read('on 3/4', Clock.at('2026-11-23T09:00', 'Europe/Berlin')).due).toBe('2027-04-03');
    expect(read('on 13/4').due).toBe('2027-04-13');
    expect(() => read('on 3/4', Clock.at('2026-11-23T09:00', 'Asia/Kathmandu'))).toThrow(Clarification);
  });

  it.each(['at 5', 'tomorrow at 9:30', 'next tuesday at 3'])('asks am or pm for %s', (text) => {
    expect(() => read(text)).toThrow(Clarification);
  });

  it('asks when two different dates are given', () => {
    expect(() => read('tomorrow or on Friday')).toThrow(Clarification);
  });

  it.each([
    'Call May about the sprint',
    'Buy a new sun hat',
    'Watch Friday Night Lights',
    'Buy 1/2 gallon of milk',
    'Fix the light on the 2nd floor',
    'Read The 5th Wave',
    'Visit the 4th of July parade',
    'Set a 16h timer',
    'Call the plumber I saw yesterday',
  ])('leaves date-like words of a title alone: %s', (text) => {
    expect(read(text)).toEqual({ due: undefined, rest: text });
  });

  it('leaves a number before a date to the title when nothing marks it as a time', () => {
    expect(read('Finish level 10 tomorrow')).toEqual({ due: '2026-11-24', rest: 'Finish level 10' });
  });

  it('leaves out chrono parsers that exist (a chrono upgrade renaming them must fail here)', () => {
    const names = new Set(chrono.casual.parsers.map((parser) => parser.constructor.name));
    for (const name of LEFT_OUT_CHRONO_PARSERS) expect(names).toContain(name);
  });
});

describe('dates out of range', () => {
  const clock = Clock.at('2026-11-23T09:00', 'Europe/Berlin');
  it.each(['in 99999999 years', 'in 9000 years', 'in 999999999999 minutes', 'on 1 jan 1969'])(
    'asks about %s instead of failing',
    (text) => {
      expect(() => takeWhen(new Utterance(text), clock)).toThrow(
        expect.objectContaining({ question: expect.stringMatching(/too far away/) }),
      );
    },
  );
});
