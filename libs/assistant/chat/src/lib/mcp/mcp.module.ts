import { Module } from '@nestjs/common';
import { ChatToolsModule } from '../tools/chat-tools.module';
import { McpController } from './mcp.controller';

/** The assistant's tools for MCP clients at `/mcp`. */
@Module({
  imports: [ChatToolsModule],
  controllers: [McpController],
})
export class McpModule {}
