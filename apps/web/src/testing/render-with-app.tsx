import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import type { ApiClient } from '../api/client';
import { AppContext } from '../api/session';

/** Renders a component signed in as a Berlin user, talking to the given API double. */
export function renderWithApp(ui: ReactElement, api: Partial<ApiClient>) {
  return render(
    <AppContext.Provider
      value={{
        api: api as ApiClient,
        token: 't',
        user: {
          id: 'u',
          email: 'a@example.com',
          name: null,
          time_zone: 'Europe/Berlin',
          created_at: '2026-01-01T00:00:00.000Z',
        },
        setUser: () => undefined,
        signOut: () => undefined,
      }}
    >
      {ui}
    </AppContext.Provider>,
  );
}
