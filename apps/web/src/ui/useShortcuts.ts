import { useEffect, useRef } from 'react';

const isTyping = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

/**
 * Single-key shortcuts for the page (q, /, j, k, …), ignored while typing in a field or while a
 * dialog is open (the dialog handles its own keys). Esc runs `onEscape`, or leaves the field.
 */
export function useShortcuts(options: { actions: Record<string, () => void>; onEscape?: () => void }) {
  const latest = useRef(options);
  latest.current = options;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (document.querySelector('dialog[open]')) return;
      const { actions, onEscape } = latest.current;
      if (event.key === 'Escape') {
        if (onEscape) {
          event.preventDefault();
          onEscape();
        } else if (isTyping(event.target)) (event.target as HTMLElement).blur();
        return;
      }
      if (isTyping(event.target)) return;
      const action = actions[event.key];
      if (action) {
        event.preventDefault();
        action();
      }
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, []);
}
