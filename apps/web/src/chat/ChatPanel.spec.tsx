import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import type { ApiClient } from '../api/client';
import type { ChatReply } from '../api/contract';
import { renderWithApp } from '../testing/render-with-app';
import { ChatPanel } from './ChatPanel';

// jsdom lays nothing out, so it has no scrolling.
beforeAll(() => (Element.prototype.scrollIntoView = () => undefined));

describe('ChatPanel for screen readers', () => {
  it('announces every reply politely, a repeated one too, and says while it waits', async () => {
    let answer: (reply: ChatReply) => void = () => undefined;
    const api = {
      conversations: jest.fn(async () => ({ items: [] })),
      chat: jest.fn(() => new Promise<ChatReply>((resolve) => (answer = resolve))),
    } as Partial<ApiClient>;
    renderWithApp(<ChatPanel onOpenTask={jest.fn()} onTasksChanged={jest.fn()} />, api);
    const announcer = screen.getByTestId('chat-announcer');
    expect(announcer.getAttribute('aria-live')).toBe('polite');
    const reply = { conversation_id: 'c1', response: 'Nothing is due today.', tool_calls: [] };

    const spoken: Element[] = [];
    for (let turn = 0; turn < 2; turn++) {
      fireEvent.change(screen.getByLabelText('Message the assistant'), { target: { value: 'today?' } });
      await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Send' })));
      expect(screen.getByText('The assistant is working on it…').getAttribute('role')).toBe('status');
      await act(async () => answer(reply));
      await waitFor(() => expect(announcer.textContent).toBe('Assistant: Nothing is due today.'));
      spoken.push(announcer.firstElementChild as Element);
    }
    // A live region speaks what is inserted: the same words again must be a new node.
    expect(spoken[1]).not.toBe(spoken[0]);
    expect(announcer.childElementCount).toBe(1);
  });
});
