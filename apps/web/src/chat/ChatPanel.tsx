import { forwardRef, useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import type { ConversationSummary, ExecutedToolCall } from '../api/contract';
import { useApp } from '../api/session';
import { askNotificationPermissionOnce } from '../ui/notifications';
import { dueInWords, wallTimeToInstant } from '../ui/time';
import { choicesOf, tasksOf, toolLabel } from './tool-cards';

interface Message {
  role: 'user' | 'assistant';
  content: string;
  tool_calls: ExecutedToolCall[];
}

interface Props {
  onOpenTask(id: string): void;
  /** The assistant changed tasks: the list reloads (live updates also bring them, when connected). */
  onTasksChanged(): void;
}

/** The assistant: conversations, messages, tool calls as cards, questions as buttons. */
export const ChatPanel = forwardRef<HTMLTextAreaElement, Props>(function ChatPanel(
  { onOpenTask, onTasksChanged },
  ref,
) {
  const { api, user } = useApp();
  const [conversations, setConversations] = useState<ConversationSummary[]>([]);
  const [conversationId, setConversationId] = useState<string | null>(null);
  const [messages, setMessages] = useState<Message[]>([]);
  const [draft, setDraft] = useState('');
  const [waiting, setWaiting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** The last reply for screen readers, numbered so that a repeated reply is a new node, announced again. */
  const [announcement, setAnnouncement] = useState({ text: '', count: 0 });
  const listRef = useRef<HTMLOListElement>(null);

  const loadConversations = () =>
    api
      .conversations()
      .then((page) => setConversations(page.items))
      .catch(() => undefined);

  useEffect(() => {
    void loadConversations();
  }, [api]);

  useEffect(() => {
    listRef.current?.lastElementChild?.scrollIntoView({ block: 'end' });
  }, [messages, waiting]);

  const openConversation = async (id: string | null) => {
    setConversationId(id);
    setError(null);
    if (!id) return setMessages([]);
    try {
      const conversation = await api.conversation(id);
      setMessages(conversation.messages);
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : 'Could not open the conversation.');
    }
  };

  const send = async (text: string) => {
    const message = text.trim();
    if (!message || waiting) return;
    setMessages((current) => [...current, { role: 'user', content: message, tool_calls: [] }]);
    setDraft('');
    setWaiting(true);
    setError(null);
    try {
      const reply = await api.chat({ message, conversation_id: conversationId ?? undefined });
      if (reply.tool_calls.some((call) => call.name === 'set_reminder' || 'reminders' in call.arguments))
        askNotificationPermissionOnce();
      setMessages((current) => [
        ...current,
        { role: 'assistant', content: reply.response, tool_calls: reply.tool_calls },
      ]);
      setAnnouncement((last) => ({ text: `Assistant: ${reply.response}`, count: last.count + 1 }));
      if (reply.tool_calls.some((call) => call.name !== 'list_tasks' && call.result.status === 'done'))
        onTasksChanged();
      if (reply.conversation_id !== conversationId) {
        setConversationId(reply.conversation_id);
        void loadConversations();
      }
    } catch (failure) {
      setError(
        failure instanceof ApiError
          ? `The assistant could not answer: ${failure.message}`
          : 'The assistant could not answer. Try again.',
      );
    } finally {
      setWaiting(false);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void send(draft);
  };

  return (
    <section className="chat" aria-labelledby="chat-heading">
      <header className="chat-header">
        <h2 id="chat-heading">Assistant</h2>
        <label className="visually-hidden" htmlFor="conversation-select">
          Conversation
        </label>
        <select
          id="conversation-select"
          value={conversationId ?? ''}
          onChange={(event) => void openConversation(event.target.value || null)}
        >
          <option value="">New conversation</option>
          {conversations.map((conversation) => (
            <option key={conversation.id} value={conversation.id}>
              {conversation.title}
            </option>
          ))}
        </select>
      </header>
      <ol className="messages" ref={listRef} data-testid="chat-messages">
        {messages.length === 0 && !waiting && (
          <li className="chat-empty">
            <p>Tell me what to do, for example:</p>
            {[
              'Add a task to call mom tomorrow at 6pm',
              'What is due this week?',
              'Water the plants every sunday #home',
            ].map((example) => (
              <button key={example} className="suggestion" onClick={() => setDraft(example)}>
                {example}
              </button>
            ))}
          </li>
        )}
        {messages.map((message, index) => (
          <li key={index} className={`message message-${message.role}`}>
            <span className="visually-hidden">{message.role === 'user' ? 'You:' : 'Assistant:'}</span>
            <p className="bubble">{message.content}</p>
            {message.tool_calls.map((call, callIndex) => (
              <ToolCard
                key={callIndex}
                call={call}
                zone={user.time_zone}
                onOpenTask={onOpenTask}
                onAnswer={(text) => void send(text)}
              />
            ))}
          </li>
        ))}
        {waiting && (
          <li className="message message-assistant" aria-hidden="true">
            <p className="bubble typing">
              <span />
              <span />
              <span />
            </p>
          </li>
        )}
      </ol>
      <div className="visually-hidden" aria-live="polite" data-testid="chat-announcer">
        {announcement.count > 0 && <p key={announcement.count}>{announcement.text}</p>}
      </div>
      <p className="hint chat-status" role="status">
        {waiting ? 'The assistant is working on it…' : ''}
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <form className="chat-form" onSubmit={submit}>
        <label className="visually-hidden" htmlFor="chat-input">
          Message the assistant
        </label>
        <textarea
          id="chat-input"
          ref={ref}
          rows={2}
          value={draft}
          placeholder="Message the assistant…"
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !event.shiftKey) {
              event.preventDefault();
              void send(draft);
            }
          }}
        />
        <button className="primary" type="submit" disabled={!draft.trim() || waiting}>
          Send
        </button>
      </form>
    </section>
  );
});

/** Tool results carry wall times of the user's zone ("2026-12-04T17:00", or a date). */
const wallToDue = (wall: string, zone: string) => (wall.length === 10 ? wall : wallTimeToInstant(wall, zone));

function ToolCard({
  call,
  zone,
  onOpenTask,
  onAnswer,
}: {
  call: ExecutedToolCall;
  zone: string;
  onOpenTask(id: string): void;
  onAnswer(text: string): void;
}) {
  const tasks = tasksOf(call);
  const choices = choicesOf(call);
  return (
    <div className={`tool-card tool-${call.result.status}`} data-testid="tool-card">
      <p className="tool-card-title">
        <span className="tool-name">
          {call.result.status === 'failed' ? 'Could not do it' : toolLabel(call)}
        </span>
        {tasks.length === 0 && <span> {call.result.message}</span>}
      </p>
      {tasks.length > 0 && (
        <ul className="plain-list">
          {tasks.slice(0, 8).map((task) => (
            <li key={task.id}>
              <button className="card-task" onClick={() => onOpenTask(task.id)}>
                <span className="muted">#{task.number}</span> {task.title}
                {task.due && <span className="muted"> · {dueInWords(wallToDue(task.due, zone), zone)}</span>}
              </button>
            </li>
          ))}
          {tasks.length > 8 && <li className="hint">and {tasks.length - 8} more</li>}
        </ul>
      )}
      {choices.length > 0 && (
        <div className="choices" role="group" aria-label="Choose one">
          {choices.map((choice) => (
            <button key={choice.number} onClick={() => onAnswer(String(choice.number))}>
              #{choice.number} {choice.title}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
