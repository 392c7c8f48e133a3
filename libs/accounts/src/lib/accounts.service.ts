import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { AccessTokens, type Actor } from '@todo/auth';
import { ConflictError, NotFoundError, UnauthorizedError } from '@todo/errors';
import { QueryFailedError, type Repository } from 'typeorm';
import { CachedActorResolver } from './cached-actor-resolver';
import type { LoginInput, RegisterInput, UpdateProfileInput } from './accounts.schemas';
import { hashPassword, UNKNOWN_USER_HASH, verifyPassword } from './password-hasher';
import { UserEntity } from './user.entity';

export interface Session {
  user: UserEntity;
  accessToken: string;
}

const UNIQUE_VIOLATION = '23505';

@Injectable()
export class AccountsService {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly tokens: AccessTokens,
    private readonly actors: CachedActorResolver,
  ) {}

  async register(input: RegisterInput): Promise<Session> {
    const passwordHash = await hashPassword(input.password);
    try {
      const user = await this.users.save(
        this.users.create({
          email: input.email,
          name: input.name ?? null,
          timeZone: input.time_zone ?? 'UTC',
          passwordHash,
        }),
      );
      return this.session(user);
    } catch (error) {
      if (
        error instanceof QueryFailedError &&
        (error.driverError as { code?: string }).code === UNIQUE_VIOLATION
      ) {
        throw new ConflictError('An account with this email already exists; sign in instead');
      }
      throw error;
    }
  }

  async login(input: LoginInput): Promise<Session> {
    const user = await this.users.findOne({
      where: { email: input.email },
      select: ['id', 'email', 'name', 'timeZone', 'createdAt', 'updatedAt', 'passwordHash'],
    });
    const valid = await verifyPassword(input.password, user?.passwordHash ?? UNKNOWN_USER_HASH);
    if (!user || !valid) throw new UnauthorizedError('The email or password is wrong');
    return this.session(user);
  }

  async profile(actor: Actor): Promise<UserEntity> {
    const user = await this.users.findOneBy({ id: actor.userId });
    if (!user) throw new NotFoundError('Your account');
    return user;
  }

  async updateProfile(actor: Actor, input: UpdateProfileInput): Promise<UserEntity> {
    const user = await this.profile(actor);
    if (input.name !== undefined) user.name = input.name;
    if (input.time_zone !== undefined) user.timeZone = input.time_zone;
    const saved = await this.users.save(user);
    this.actors.forget(user.id); // this caller's next request already sees the change
    return saved;
  }

  private async session(user: UserEntity): Promise<Session> {
    const { passwordHash: _secret, ...visible } = user;
    return { user: visible as UserEntity, accessToken: await this.tokens.issue(user.id) };
  }
}
