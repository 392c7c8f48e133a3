import type { INestApplication } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import type { MessageMappingProperties } from '@nestjs/websockets';
import type { Observable } from 'rxjs';
import type { WebSocket } from 'ws';

/**
 * Nest's `ws` adapter, minus its message dispatch when a gateway has no `@SubscribeMessage`
 * handlers: the realtime gateway reads frames itself (typed protocol, documented errors), and the
 * stock dispatch would parse every frame a second time only to drop it.
 */
class RealtimeWsAdapter extends WsAdapter {
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
