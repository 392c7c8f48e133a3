import type { INestApplication } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import type { MessageMappingProperties } from '@nestjs/websockets';
import type { Observable } from 'rxjs';
import type { WebSocket, WebSocketServer } from 'ws';

/**
 * Nest's `ws` adapter with two changes: no message dispatch when a gateway has no
 * `@SubscribeMessage` handlers (the realtime gateway reads frames itself, with a typed protocol and
 * documented errors; the stock dispatch would parse every frame a second time only to drop it), and
 * a client's protocol errors (an oversized or invalid frame: ws closes that socket with 1009/1002)
 * logged at debug level, so hostile clients cannot flood the error log.
 */
class RealtimeWsAdapter extends WsAdapter {
  override bindErrorHandler(server: WebSocketServer): WebSocketServer {
    server.on('connection', (socket: WebSocket) =>
      socket.on('error', (error) => this.logger.debug(`client socket error: ${error.message}`)),
    );
    server.on('error', (error) => this.logger.error(error));
    return server;
  }

  override bindMessageHandlers(
    client: WebSocket,
    handlers: MessageMappingProperties[],
    transform: (data: unknown) => Observable<unknown>,
  ): void {
    if (handlers.length > 0) super.bindMessageHandlers(client, handlers, transform);
  }
}

/** Serves the app's WebSocket gateways (`/realtime`) on its HTTP port. Call before `listen`. */
export function useRealtimeSockets(app: INestApplication): void {
  app.useWebSocketAdapter(new RealtimeWsAdapter(app));
}
