import { Inject, Injectable } from '@nestjs/common';
import {
  type ChatCaller,
  ChatPort,
  type ChatReply,
  type ChatRequest,
  type ConversationSummary,
  type ConversationView,
  type Interpretation,
  type InterpretRequest,
} from '@todo/assistant-contract';
import { APP_CONFIG, type AppConfig } from '@todo/config';
import { interpret } from '@todo/natural-language';
import { wallTimeOf } from '@todo/reminders';
import { ConversationStore } from './conversations/conversation-store';
import { ChatEngine } from './engines/chat-engine';
import { TaskToolExecutor } from './tools/task-tool-executor';

/**
 * The chat-agent itself (the in-process ChatPort): loads the conversation, lets the configured
 * engine answer with the caller's tools, and stores both messages. The endpoint keeps no state.
 */
@Injectable()
export class ChatService extends ChatPort {
  constructor(
    private readonly conversations: ConversationStore,
    private readonly tools: TaskToolExecutor,
    private readonly engine: ChatEngine,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  async send({ actor }: ChatCaller, request: ChatRequest): Promise<ChatReply> {
    const conversation = await this.conversations.open(
      actor.userId,
      request.conversation_id,
      request.message,
      this.config.chat.historyMessages,
    );
    const reply = await this.engine.reply({
      message: request.message,
      history: conversation.history,
      now: wallTimeOf(new Date(), actor.timeZone),
      timeZone: actor.timeZone,
      tools: this.tools.forActor(actor),
    });
    await this.conversations.append(actor.userId, conversation.id, [
      { role: 'user', content: request.message, tool_calls: [] },
      { role: 'assistant', content: reply.response, tool_calls: reply.tool_calls },
    ]);
    return { conversation_id: conversation.id, ...reply };
  }

  /** What the offline parser makes of a message, executing nothing (NL-CONVENTIONS.md). */
  async interpret({ actor }: ChatCaller, request: InterpretRequest): Promise<Interpretation> {
    const timeZone = request.time_zone ?? actor.timeZone;
    return interpret(request.message, { now: request.now ?? wallTimeOf(new Date(), timeZone), timeZone });
  }

  listConversations({ actor }: ChatCaller): Promise<ConversationSummary[]> {
    return this.conversations.list(actor.userId);
  }

  getConversation({ actor }: ChatCaller, id: string): Promise<ConversationView> {
    return this.conversations.get(actor.userId, id);
  }

  deleteConversation({ actor }: ChatCaller, id: string): Promise<void> {
    return this.conversations.delete(actor.userId, id);
  }
}
