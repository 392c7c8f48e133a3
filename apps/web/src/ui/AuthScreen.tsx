import { type FormEvent, useState } from 'react';
import { ApiError, type ApiClient } from '../api/client';
import type { StoredSession } from '../api/session';
import { browserTimeZone } from './time';

export function AuthScreen({
  api,
  onSignedIn,
}: {
  api: ApiClient;
  onSignedIn(session: StoredSession): void;
}) {
  const [mode, setMode] = useState<'signin' | 'signup'>('signup');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const session =
        mode === 'signup'
          ? await api.register({ email, password, name: name || undefined, time_zone: browserTimeZone() })
          : await api.login({ email, password });
      onSignedIn({ token: session.access_token, user: session.user });
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : 'Something went wrong. Try again.');
    } finally {
      setBusy(false);
    }
  };

  const signingUp = mode === 'signup';
  return (
    <main className="auth">
      <form className="auth-card" onSubmit={submit} aria-labelledby="auth-title">
        <div className="brand brand-large" aria-hidden="true">
          <span className="brand-mark">✓</span> Todo assistant
        </div>
        <h1 id="auth-title">{signingUp ? 'Create your account' : 'Welcome back'}</h1>
        <p className="muted">
          {signingUp
            ? 'Tell the assistant what to do, or manage your list by hand.'
            : 'Sign in to your task list.'}
        </p>
        {signingUp && (
          <label>
            <span>
              Name <span className="muted">(optional)</span>
            </span>
            <input value={name} onChange={(event) => setName(event.target.value)} autoComplete="name" />
          </label>
        )}
        <label>
          Email
          <input
            type="email"
            required
            autoFocus
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            autoComplete="email"
          />
        </label>
        <label>
          Password
          <input
            type="password"
            required
            minLength={signingUp ? 8 : 1}
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            autoComplete={signingUp ? 'new-password' : 'current-password'}
          />
        </label>
        {signingUp && <p className="hint">Time zone: {browserTimeZone()} (change it later in settings)</p>}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button className="primary" type="submit" disabled={busy}>
          {busy ? 'One moment…' : signingUp ? 'Sign up' : 'Sign in'}
        </button>
        <p className="switch">
          {signingUp ? 'Already have an account?' : 'New here?'}{' '}
          <button
            type="button"
            className="link"
            onClick={() => {
              setMode(signingUp ? 'signin' : 'signup');
              setError(null);
            }}
          >
            {signingUp ? 'Sign in' : 'Create an account'}
          </button>
        </p>
      </form>
    </main>
  );
}
