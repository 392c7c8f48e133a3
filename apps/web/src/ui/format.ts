import type { Task } from '../api/contract';

export const PRIORITY_LABEL: Record<Task['priority'], string> = {
  urgent: 'Urgent',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  none: 'No priority',
};

/** An ISO 8601 duration such as PT1H or P1D in words ("1 hour before"). */
export function durationInWords(duration: string): string {
  const match = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(duration);
  if (!match) return duration;
  const units = ['week', 'day', 'hour', 'minute', 'second'];
  const parts = match
    .slice(1)
    .map((value, index) => (value && +value ? `${+value} ${units[index]}${+value === 1 ? '' : 's'}` : ''))
    .filter(Boolean);
  return parts.length ? `${parts.join(' ')} before` : 'at the due time';
}
