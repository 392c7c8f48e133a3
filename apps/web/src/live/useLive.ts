import { useEffect, useRef, useState } from 'react';
import { LiveConnection, type LiveHandlers, type LiveStatus } from './live-connection';

/** Keeps this tab's one live connection open while signed in; handlers may change between renders. */
export function useLive(token: string, handlers: Omit<LiveHandlers, 'onStatus'>): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => {
    const connection = new LiveConnection(token, {
      onStatus: setStatus,
      onTask: (message) => latest.current.onTask(message),
      onReminder: (message) => latest.current.onReminder(message),
      onRefetch: () => latest.current.onRefetch(),
      onUnauthorized: () => latest.current.onUnauthorized(),
    });
    connection.start();
    return () => connection.stop();
  }, [token]);
  return status;
}
