import { useEffect, useState } from 'react';
import { useApp } from '../api/session';
import { disablePush, enablePush, PushSetupError, type PushState, pushState } from './web-push';

/** The settings switch for Web Push on this device; it takes effect at once (no Save). */
export function PushSetting() {
  const { api } = useApp();
  const [state, setState] = useState<PushState | 'checking'>('checking');
  /** While a change is on its way, the switch shows where it is going. */
  const [pending, setPending] = useState<boolean | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState('');

  useEffect(() => {
    let current = true;
    void pushState()
      .catch((): PushState => 'off')
      .then((found) => current && setState(found));
    return () => {
      current = false;
    };
  }, []);

  const toggle = async (on: boolean) => {
    if (pending !== null) return;
    setPending(on);
    setError(null);
    setDone('');
    try {
      await (on ? enablePush(api) : disablePush(api));
      setState(on ? 'on' : 'off');
      setDone(
        on ? 'Push notifications are on for this device.' : 'Push notifications are off for this device.',
      );
    } catch (failure) {
      setState(await pushState().catch((): PushState => 'off'));
      setError(
        failure instanceof PushSetupError
          ? failure.message
          : `Could not change push notifications: ${failure instanceof Error ? failure.message : failure}`,
      );
    } finally {
      setPending(null);
    }
  };

  return (
    <fieldset>
      <legend>Reminders</legend>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={pending ?? state === 'on'}
          // Not disabled while busy: that would drop the keyboard focus out of the dialog.
          disabled={state === 'checking' || state === 'unsupported'}
          aria-busy={pending !== null}
          aria-describedby="push-hint"
          onChange={(event) => void toggle(event.target.checked)}
        />
        Push reminders to this device, even when the app is closed
      </label>
      <p className="hint" id="push-hint">
        {state === 'unsupported'
          ? 'This browser cannot receive push notifications; reminders show while the app is open.'
          : pending !== null
            ? 'Setting up…'
            : 'Your browser asks for permission first. Without it, reminders show while the app is open.'}
      </p>
      <p className="visually-hidden" role="status">
        {done}
      </p>
      {error && (
        <p className="error" role="alert" data-testid="push-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}
