import { createContext, useCallback, useContext, useRef, useState, type ReactNode } from 'react';

export interface Toast {
  id: number;
  message: string;
  tone?: 'info' | 'reminder' | 'error';
  action?: { label: string; run(): void };
}

type Notify = (toast: Omit<Toast, 'id'>, timeoutMs?: number) => void;
const ToastContext = createContext<Notify>(() => undefined);

export const useToast = () => useContext(ToastContext);

/** Undo offers, reminders and errors, announced politely and dismissable. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);
  const dismiss = (id: number) => setToasts((current) => current.filter((toast) => toast.id !== id));
  const notify = useCallback<Notify>((toast, timeoutMs = 6000) => {
    const id = nextId.current++;
    setToasts((current) => [...current.slice(-3), { ...toast, id }]);
    if (timeoutMs > 0) setTimeout(() => dismiss(id), timeoutMs);
  }, []);
  return (
    <ToastContext.Provider value={notify}>
      {children}
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((toast) => (
          <div key={toast.id} className={`toast toast-${toast.tone ?? 'info'}`}>
            <span>{toast.message}</span>
            {toast.action && (
              <button
                className="toast-action"
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
