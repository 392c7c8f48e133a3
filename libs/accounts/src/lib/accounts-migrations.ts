import { CreateUsers1763700000000 } from './migrations/1763700000000-create-users';
import { NotifyAccountChanges1763700010000 } from './migrations/1763700010000-notify-account-changes';

export const ACCOUNTS_MIGRATIONS = [CreateUsers1763700000000, NotifyAccountChanges1763700010000];
