import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  type ChatCaller,
  ChatPort,
  type ChatRequest,
  chatRequestSchema,
  type InterpretRequest,
  interpretRequestSchema,
} from '@todo/assistant-contract';
import { ApiZodBody, ZodPipe } from '@todo/http';
import { CurrentChatCaller } from './chat-caller.decorator';
import { parseConversationId } from './conversation-id';

/** The assistant over REST: one message in, the reply and the tool calls it made out. */
@ApiTags('chat')
@ApiBearerAuth()
@Controller('chat')
export class ChatController {
  constructor(private readonly chat: ChatPort) {}

  @Post()
  @HttpCode(200)
  @ApiZodBody(chatRequestSchema)
  send(@CurrentChatCaller() caller: ChatCaller, @Body(new ZodPipe(chatRequestSchema)) request: ChatRequest) {
    return this.chat.send(caller, request);
  }

  /** What the offline engine understands, as tool calls, without executing them. */
  @Post('interpret')
  @HttpCode(200)
  @ApiZodBody(interpretRequestSchema)
  interpret(
    @CurrentChatCaller() caller: ChatCaller,
    @Body(new ZodPipe(interpretRequestSchema)) request: InterpretRequest,
  ) {
    return this.chat.interpret(caller, request);
  }

  @Get('conversations')
  async conversations(@CurrentChatCaller() caller: ChatCaller) {
    return { items: await this.chat.listConversations(caller) };
  }

  @Get('conversations/:id')
  conversation(@CurrentChatCaller() caller: ChatCaller, @Param('id') id: string) {
    return this.chat.getConversation(caller, parseConversationId(id));
  }

  @Delete('conversations/:id')
  @HttpCode(204)
  async deleteConversation(@CurrentChatCaller() caller: ChatCaller, @Param('id') id: string) {
    await this.chat.deleteConversation(caller, parseConversationId(id));
  }
}
