import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { RealtimeConsumer } from './realtime.consumer';
import { RealtimeGateway } from './realtime.gateway';
import { RealtimeTicketController } from './realtime-ticket.controller';
import { RealtimeTickets } from './realtime-tickets';
import { SocketAuthenticator } from './socket-authenticator';
import { SocketHub } from './socket-hub';

export { useRealtimeSockets } from './realtime-ws-adapter';
export { REALTIME_CONSUMER } from './realtime.consumer';

/**
 * Live updates over WebSocket (`/realtime`): task states and due reminders pushed to their user's
 * sockets, and `POST /api/v1/realtime/ticket`. The composition passes the module that provides the
 * account ports (`ActorResolver`, `AccountChanges`): `RealtimeModule.with(AuthenticationModule)`.
 * The app must call `useRealtimeSockets(app)` before listening.
 */
@Module({})
export class RealtimeModule {
  static with(authentication: Type | DynamicModule): DynamicModule {
    return {
      module: RealtimeModule,
      imports: [authentication],
      controllers: [RealtimeConsumer, RealtimeTicketController],
      providers: [SocketHub, SocketAuthenticator, RealtimeTickets, RealtimeGateway],
    };
  }
}
