import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import {
  type ChatCaller,
  ChatPort,
  chatReplySchema,
  type ChatRequest,
  chatRequestSchema,
  conversationSchema,
  conversationSummarySchema,
  interpretationSchema,
  type InterpretRequest,
  interpretRequestSchema,
} from '@todo/assistant-contract';
import { ApiEndpoint, ZodPipe } from '@todo/http';
import { z } from 'zod';
import { CurrentChatCaller } from './chat-caller.decorator';
import { parseConversationId } from './conversation-id';

/** With the assistant in its own service (CHAT_AGENT_TRANSPORT=http or dapr), it may not answer. */
const AGENT_DOWN = 'The assistant runs as a separate service here and did not answer; retry later';
const NO_SUCH_CONVERSATION = 'You have no conversation with this id';
const ApiConversationId = () =>
  ApiParam({ name: 'id', description: 'The conversation id (uuid)', schema: { type: 'string' } });

/** The assistant over REST: one message in, the reply and the tool calls it made out. */
@ApiTags('chat')
@Controller('chat')
export class ChatController {
  constructor(private readonly chat: ChatPort) {}

  @Post()
  @HttpCode(200)
  @ApiEndpoint({
    operationId: 'chat',
    summary: 'Send a message to the assistant',
    description: 'It answers and executes the tool calls it decides on, as you; both are in the reply.',
    body: chatRequestSchema,
    responses: { 200: { description: 'The reply and every executed tool call', schema: chatReplySchema } },
    errors: { 404: NO_SUCH_CONVERSATION, 503: AGENT_DOWN },
  })
  send(@CurrentChatCaller() caller: ChatCaller, @Body(new ZodPipe(chatRequestSchema)) request: ChatRequest) {
    return this.chat.send(caller, request);
  }

  /** What the offline engine understands, as tool calls, without executing them. */
  @Post('interpret')
  @HttpCode(200)
  @ApiEndpoint({
    operationId: 'interpret',
    summary: 'Show what the offline engine understands, without executing it',
    body: interpretRequestSchema,
    responses: {
      200: { description: 'The tool calls it would make, or a question', schema: interpretationSchema },
    },
    errors: { 503: AGENT_DOWN },
  })
  interpret(
    @CurrentChatCaller() caller: ChatCaller,
    @Body(new ZodPipe(interpretRequestSchema)) request: InterpretRequest,
  ) {
    return this.chat.interpret(caller, request);
  }

  @Get('conversations')
  @ApiEndpoint({
    operationId: 'listConversations',
    summary: 'Your conversations with the assistant, latest first',
    responses: {
      200: {
        description: 'Your conversations',
        schema: z.object({ items: z.array(conversationSummarySchema) }),
      },
    },
    errors: { 503: AGENT_DOWN },
  })
  async conversations(@CurrentChatCaller() caller: ChatCaller) {
    return { items: await this.chat.listConversations(caller) };
  }

  @Get('conversations/:id')
  @ApiConversationId()
  @ApiEndpoint({
    operationId: 'getConversation',
    summary: 'A conversation with its messages',
    responses: { 200: { description: 'The conversation', schema: conversationSchema } },
    errors: { 400: 'The id is not a uuid', 404: NO_SUCH_CONVERSATION, 503: AGENT_DOWN },
  })
  conversation(@CurrentChatCaller() caller: ChatCaller, @Param('id') id: string) {
    return this.chat.getConversation(caller, parseConversationId(id));
  }

  @Delete('conversations/:id')
  @HttpCode(204)
  @ApiConversationId()
  @ApiEndpoint({
    operationId: 'deleteConversation',
    summary: 'Delete a conversation',
    responses: { 204: { description: 'Deleted', schema: null } },
    errors: { 400: 'The id is not a uuid', 404: NO_SUCH_CONVERSATION, 503: AGENT_DOWN },
  })
  async deleteConversation(@CurrentChatCaller() caller: ChatCaller, @Param('id') id: string) {
    await this.chat.deleteConversation(caller, parseConversationId(id));
  }
}
