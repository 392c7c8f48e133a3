/** The scheduler's notion of now, injectable so tests can move time instead of waiting for it. */
export abstract class Clock {
  abstract now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
