import { createContext, useCallback, useContext, useRef, useState, type ReactNode } from 'react';

export interface Toast {
  id: number;
  message: string;
  tone?: 'info' | 'reminder' | 'error';
  action?: { label: string; run(): void };
}

type Notify = (toast: Omit<Toast, 'id'>, timeoutMs?: number) => void;
const ToastContext = createContext<Notify>(() => undefined);
/** Runs the action of the newest toast that offers one (the `z` key); false when there is none. */
const LatestActionContext = createContext<() => boolean>(() => false);

export const useToast = () => useContext(ToastContext);
export const useLatestToastAction = () => useContext(LatestActionContext);

/** Undo offers, reminders and errors, announced politely and dismissable. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const toastsRef = useRef<Toast[]>([]);
  toastsRef.current = toasts;
  const nextId = useRef(1);
  const dismiss = (id: number) => setToasts((current) => current.filter((toast) => toast.id !== id));
  const runLatestAction = useCallback(() => {
    const latest = toastsRef.current.findLast((toast) => toast.action);
    if (!latest?.action) return false;
    latest.action.run();
    toastsRef.current = toastsRef.current.filter((toast) => toast.id !== latest.id);
    dismiss(latest.id);
    return true;
  }, []);
  const notify = useCallback<Notify>((toast, timeoutMs = 6000) => {
    const id = nextId.current++;
    setToasts((current) => [...current.slice(-3), { ...toast, id }]);
    if (timeoutMs > 0) setTimeout(() => dismiss(id), timeoutMs);
  }, []);
  return (
    <ToastContext.Provider value={notify}>
      <LatestActionContext.Provider value={runLatestAction}>{children}</LatestActionContext.Provider>
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((toast) => (
          <div key={toast.id} className={`toast toast-${toast.tone ?? 'info'}`}>
            <span>{toast.message}</span>
            {toast.action && (
              <button
                className="toast-action"
                aria-keyshortcuts="z"
                onClick={() => {
                  toast.action?.run();
                  dismiss(toast.id);
                }}
              >
                {toast.action.label}
              </button>
            )}
            <button className="icon-button" aria-label="Dismiss" onClick={() => dismiss(toast.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}
