/**
 * The time a day part stands for, when no clock time is given: "tomorrow morning", "every evening",
 * "tonight". One table for dates and repeats.
 */
export const DAY_PART_TIMES: Readonly<Record<string, string>> = {
  morning: '09:00',
  noon: '12:00',
  afternoon: '15:00',
  evening: '18:00',
  night: '20:00',
  tonight: '20:00',
  midnight: '00:00',
};
