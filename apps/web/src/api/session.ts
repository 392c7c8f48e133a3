import { createContext, useContext } from 'react';
import type { ApiClient } from './client';
import type { User } from './contract';

const TOKEN_KEY = 'todo.session';

/** The signed-in session kept in this browser (token and account), shared by the tabs of the origin. */
export interface StoredSession {
  token: string;
  user: User;
}

export function loadSession(): StoredSession | null {
  try {
    const text = localStorage.getItem(TOKEN_KEY);
    return text ? (JSON.parse(text) as StoredSession) : null;
  } catch {
    return null;
  }
}

export function saveSession(session: StoredSession | null): void {
  if (session) localStorage.setItem(TOKEN_KEY, JSON.stringify(session));
  else localStorage.removeItem(TOKEN_KEY);
}

export interface AppContextValue {
  api: ApiClient;
  user: User;
  token: string;
  setUser(user: User): void;
  signOut(): void;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside of a signed-in workspace');
  return value;
}
