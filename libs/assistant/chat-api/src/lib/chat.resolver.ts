import { Args, Field, ID, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import {
  type ChatCaller,
  type ChatMessageView,
  ChatPort,
  chatRequestSchema,
  type ConversationSummary,
  type ExecutedToolCall,
  interpretRequestSchema,
  type ToolCall,
} from '@todo/assistant-contract';
import { parseOrThrow } from '@todo/errors';
import { CurrentChatCaller } from './chat-caller.decorator';
import { parseConversationId } from './conversation-id';

@ObjectType('ToolOutcome')
class ToolOutcomeType {
  @Field({ description: 'done, question or failed' }) status!: string;
  @Field({ description: 'What happened, in a sentence for people' }) message!: string;
  @Field(() => String, { nullable: true, description: 'Structured result as JSON text' }) data!:
    string | null;
}

@ObjectType('ToolCall')
class ToolCallType {
  @Field() name!: string;
  @Field({ description: 'The arguments as JSON text (NL-CONVENTIONS form: wall times in your zone)' })
  arguments!: string;
  @Field(() => ToolOutcomeType, { nullable: true, description: 'Null when only interpreted' })
  result!: ToolOutcomeType | null;
}

@ObjectType('ChatReply')
class ChatReplyType {
  @Field(() => ID) conversationId!: string;
  @Field() response!: string;
  @Field(() => [ToolCallType]) toolCalls!: ToolCallType[];
}

@ObjectType('Interpretation')
class InterpretationType {
  @Field(() => [ToolCallType]) toolCalls!: ToolCallType[];
  @Field(() => String, { nullable: true, description: 'Asked instead of guessing when unsure' })
  question!: string | null;
}

@ObjectType('ChatMessage')
class ChatMessageType {
  @Field({ description: 'user or assistant' }) role!: string;
  @Field() content!: string;
  @Field(() => [ToolCallType]) toolCalls!: ToolCallType[];
  @Field() createdAt!: Date;
}

@ObjectType('Conversation')
class ConversationType {
  @Field(() => ID) id!: string;
  @Field() title!: string;
  @Field() createdAt!: Date;
  @Field() updatedAt!: Date;
  @Field(() => [ChatMessageType], { nullable: true, description: 'Only when one conversation is asked for' })
  messages!: ChatMessageType[] | null;
}

const toolCallType = (call: ToolCall | ExecutedToolCall): ToolCallType => ({
  name: call.name,
  arguments: JSON.stringify(call.arguments),
  result:
    'result' in call
      ? {
          status: call.result.status,
          message: call.result.message,
          data: call.result.data === undefined ? null : JSON.stringify(call.result.data),
        }
      : null,
});

const conversationType = (
  conversation: ConversationSummary,
  messages: ChatMessageView[] | null = null,
): ConversationType => ({
  id: conversation.id,
  title: conversation.title,
  createdAt: new Date(conversation.created_at),
  updatedAt: new Date(conversation.updated_at),
  messages:
    messages?.map((message) => ({
      role: message.role,
      content: message.content,
      toolCalls: message.tool_calls.map(toolCallType),
      createdAt: new Date(message.created_at),
    })) ?? null,
});

/** The assistant over GraphQL: the same port, rules and messages as REST. */
@Resolver()
export class ChatResolver {
  constructor(private readonly port: ChatPort) {}

  @Mutation(() => ChatReplyType, {
    description: 'Send a message; omit conversationId to start a conversation',
  })
  async chat(
    @CurrentChatCaller() caller: ChatCaller,
    @Args('message') message: string,
    @Args('conversationId', { type: () => ID, nullable: true }) conversationId?: string | null,
  ): Promise<ChatReplyType> {
    const request = parseOrThrow(
      chatRequestSchema,
      { message, ...(conversationId != null && { conversation_id: conversationId }) },
      'camel',
    );
    const reply = await this.port.send(caller, request);
    return {
      conversationId: reply.conversation_id,
      response: reply.response,
      toolCalls: reply.tool_calls.map(toolCallType),
    };
  }

  @Query(() => InterpretationType, { description: 'What the assistant understands, without executing it' })
  async interpret(
    @CurrentChatCaller() caller: ChatCaller,
    @Args('message') message: string,
    @Args('now', { type: () => String, nullable: true, description: 'Wall time "YYYY-MM-DDTHH:mm"' })
    now?: string | null,
    @Args('timeZone', { type: () => String, nullable: true }) timeZone?: string | null,
  ): Promise<InterpretationType> {
    const request = parseOrThrow(
      interpretRequestSchema,
      { message, ...(now != null && { now }), ...(timeZone != null && { time_zone: timeZone }) },
      'camel',
    );
    const interpretation = await this.port.interpret(caller, request);
    return {
      toolCalls: interpretation.tool_calls.map(toolCallType),
      question: interpretation.question ?? null,
    };
  }

  @Query(() => [ConversationType], { description: 'Your conversations, most recent first' })
  async conversations(@CurrentChatCaller() caller: ChatCaller): Promise<ConversationType[]> {
    return (await this.port.listConversations(caller)).map((conversation) => conversationType(conversation));
  }

  @Query(() => ConversationType)
  async conversation(
    @CurrentChatCaller() caller: ChatCaller,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<ConversationType> {
    const conversation = await this.port.getConversation(caller, parseConversationId(id));
    return conversationType(conversation, conversation.messages);
  }

  @Mutation(() => Boolean)
  async deleteConversation(
    @CurrentChatCaller() caller: ChatCaller,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<boolean> {
    await this.port.deleteConversation(caller, parseConversationId(id));
    return true;
  }
}
