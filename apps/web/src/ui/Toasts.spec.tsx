import { act, render, screen } from '@testing-library/react';
import { ToastProvider, useLatestToastAction, useToast } from './Toasts';

describe('toasts and the undo key', () => {
  it('runs the newest offered action once, then the one before it', () => {
    const undone: string[] = [];
    let notify: ReturnType<typeof useToast> = () => undefined;
    let undoLatest: () => boolean = () => false;
    function Probe() {
      notify = useToast();
      undoLatest = useLatestToastAction();
      return null;
    }
    render(
      <ToastProvider>
        <Probe />
      </ToastProvider>,
    );
    act(() => {
      notify({ message: 'Completed “A”', action: { label: 'Undo', run: () => undone.push('A') } });
      notify({ message: 'Deleted “B”', action: { label: 'Undo', run: () => undone.push('B') } });
      notify({ tone: 'reminder', message: 'Reminder: C' });
    });
    expect(screen.getAllByRole('button', { name: 'Undo' })[0].getAttribute('aria-keyshortcuts')).toBe('z');

    act(() => void expect(undoLatest()).toBe(true));
    expect(undone).toEqual(['B']);
    expect(screen.queryByText('Deleted “B”')).toBeNull();
    expect(screen.getByText('Reminder: C')).toBeTruthy();
    act(() => void expect(undoLatest()).toBe(true));
    act(() => void expect(undoLatest()).toBe(false));
    expect(undone).toEqual(['B', 'A']);
  });
});
