import { CreateRealtimeTickets1763700021000 } from './migrations/1763700021000-create-realtime-tickets';

export const REALTIME_MIGRATIONS = [CreateRealtimeTickets1763700021000];
