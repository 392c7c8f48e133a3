/**
 * What the engine asks instead of guessing (NL-CONVENTIONS: "ambiguous input gets a question back, not a
 * guess that silently changes data"). A grammar deep in a parse throws a Clarification; interpret()
 * turns it into the answer's question.
 */
export class Clarification extends Error {
  constructor(readonly question: string) {
    super(question);
    this.name = 'Clarification';
  }
}

const EXAMPLES = '"Add buy milk tomorrow at 5pm", "What\'s due this week?" or "Mark task 3 as done"';

export const QUESTIONS = {
  help: `Hi! I can add, list, update, complete and delete tasks and set reminders, for example ${EXAMPLES}. What would you like to do?`,
  notUnderstood: `Sorry, I didn't get that. Try something like ${EXAMPLES}.`,
  title: 'What should the task be called?',
  whichTask: (action: string) =>
    `Which task should I ${action}? Tell me its number (like "task 3") or its title.`,
  oneAtATime: (action: string) =>
    `I can ${action} one task at a time. Which one? Tell me its number or its title.`,
  amOrPm: (hour: number, minute: number) => {
    const time = minute ? `${hour}:${String(minute).padStart(2, '0')}` : `${hour}`;
    return `Do you mean ${time} am or ${time} pm?`;
  },
  dayOrMonthFirst: (monthFirst: string, dayFirst: string) => `Do you mean ${monthFirst} or ${dayFirst}?`,
  oneOrMany: (items: readonly string[]) =>
    `Should I add ${items.length} tasks (${items.join(', ')}) or one? Say "add ${items.join(', ')} to my list" for ${items.length} tasks, or put the title in quotes for one.`,
  tooFar: 'That date is too far away: I can keep dates from 1970 to 9999. When should it be?',
  twoDates: 'I found more than one date in that. Which one do you mean?',
  whenToRemind: (about: string) => `When should I remind you${about ? ` to ${about}` : ''}?`,
  reminderOffset: 'How long before the due time should I remind you? I can do minutes, hours, days or weeks.',
  dueForReminder: 'When is it due? I need a due time to remind you before it.',
  reminderRemoval: "I can't remove reminders yet. Do you want to change the task's due time instead?",
  remindAbout: 'Which task should I remind you about? Tell me its number or its title.',
  newDue: 'When should it be due? I can set a new date, but not shift it by an amount yet.',
  whatToChange:
    'What should I change? For example "rename task 2 to …", "move task 2 to Friday" or "make task 2 high priority".',
  tagChange: 'Which tags should the task have? For example "tag task 3 with #home".',
} as const;
