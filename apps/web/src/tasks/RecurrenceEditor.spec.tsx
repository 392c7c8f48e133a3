import { fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { RecurrenceEditor, type RecurrenceValue } from './RecurrenceEditor';

function Harness({ initial, dueWall }: { initial: RecurrenceValue | null; dueWall: string | null }) {
  const [value, setValue] = useState(initial);
  return (
    <>
      <RecurrenceEditor value={value} dueWall={dueWall} onChange={setValue} />
      <output data-testid="value">{JSON.stringify(value)}</output>
    </>
  );
}

describe('RecurrenceEditor', () => {
  it('applies a preset and shows it in words with the next dates', () => {
    render(<Harness initial={null} dueWall="2026-12-04T09:00" />);
    fireEvent.change(screen.getByLabelText('Repeat'), { target: { value: 'weekdays' } });
    expect(screen.getByTestId('value').textContent).toBe(
      '{"rrule":"FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR","from":"due"}',
    );
    expect(screen.getByTestId('recurrence-summary').textContent).toContain('every weekday at 09:00');
    expect(screen.getByTestId('recurrence-next').textContent).toBe(
      'Mon, 7 Dec 2026, 09:00 · Tue, 8 Dec 2026, 09:00 · Wed, 9 Dec 2026, 09:00',
    );
  });

  it('edits a custom rule, switches to every!, and says when a rule cannot be read', () => {
    render(
      <Harness initial={{ rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO', from: 'due' }} dueWall="2026-12-07" />,
    );
    expect((screen.getByLabelText('Repeat') as HTMLSelectElement).value).toBe('custom');
    fireEvent.change(screen.getByLabelText('Counted from'), { target: { value: 'completion' } });
    expect(screen.getByTestId('recurrence-summary').textContent).toContain('counted from completion');
    fireEvent.change(screen.getByLabelText('Rule (RFC 5545 RRULE)'), {
      target: { value: 'freq=monthly;bymonthday=-1' },
    });
    expect(screen.getByTestId('recurrence-next').textContent).toBe(
      'Thu, 31 Dec 2026 · Sun, 31 Jan 2027 · Sun, 28 Feb 2027',
    );
    fireEvent.change(screen.getByLabelText('Rule (RFC 5545 RRULE)'), {
      target: { value: 'every sometimes' },
    });
    expect(screen.getByText('This rule cannot be read; check its parts.')).toBeTruthy();
  });

  it('clears the rule with "Does not repeat"', () => {
    render(<Harness initial={{ rrule: 'FREQ=DAILY', from: 'due' }} dueWall="2026-12-07" />);
    fireEvent.change(screen.getByLabelText('Repeat'), { target: { value: 'none' } });
    expect(screen.getByTestId('value').textContent).toBe('null');
  });
});
