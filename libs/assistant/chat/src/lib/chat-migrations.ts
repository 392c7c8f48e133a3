import { CreateConversations1763700007000 } from './conversations/migrations/1763700007000-create-conversations';

export const CHAT_MIGRATIONS = [CreateConversations1763700007000];
