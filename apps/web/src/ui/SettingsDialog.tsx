import { type FormEvent, useMemo, useState } from 'react';
import { ApiError } from '../api/client';
import { useApp } from '../api/session';
import { PushSetting } from '../push/PushSetting';
import { Dialog } from './Dialog';

export function SettingsDialog({ onClose }: { onClose(): void }) {
  const { api, user, setUser } = useApp();
  const [name, setName] = useState(user.name ?? '');
  const [zone, setZone] = useState(user.time_zone);
  const [error, setError] = useState<string | null>(null);
  const zones = useMemo(() => {
    const supported =
      (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
    return supported.includes(user.time_zone) ? supported : [user.time_zone, ...supported];
  }, [user.time_zone]);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    try {
      setUser(await api.updateMe({ name: name.trim() || null, time_zone: zone }));
      onClose();
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : 'Could not save your settings.');
    }
  };

  return (
    <Dialog title="Settings" onClose={onClose}>
      <form className="detail-body" onSubmit={save}>
        <p className="muted">Signed in as {user.email}</p>
        <label>
          Name
          <input value={name} onChange={(event) => setName(event.target.value)} autoComplete="name" />
        </label>
        <label>
          Time zone
          <select value={zone} onChange={(event) => setZone(event.target.value)}>
            {zones.map((option) => (
              <option key={option} value={option}>
                {option}
              </option>
            ))}
          </select>
        </label>
        <PushSetting />
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="button-row">
          <button className="primary" type="submit">
            Save
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
