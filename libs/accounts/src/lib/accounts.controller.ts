import { Body, Controller, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, Public } from '@todo/auth';
import { ApiEndpoint, ZodPipe } from '@todo/http';
import {
  loginSchema,
  registerSchema,
  sessionSchema,
  updateProfileSchema,
  userSchema,
  type UserView,
  type LoginInput,
  type RegisterInput,
  type UpdateProfileInput,
} from './accounts.schemas';
import { AccountsService, type Session } from './accounts.service';
import { RateLimited } from './auth-rate-limit';
import type { UserEntity } from './user.entity';

/** REST (snake_case) view of an account. */
export function userView(user: UserEntity): UserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    time_zone: user.timeZone,
    created_at: user.createdAt.toISOString(),
  };
}

const sessionView = (session: Session) => ({
  user: userView(session.user),
  access_token: session.accessToken,
});

@ApiTags('accounts')
@Controller()
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Public()
  @Post('auth/register')
  @RateLimited('register')
  @ApiEndpoint({
    operationId: 'register',
    summary: 'Create an account and sign in',
    public: true,
    body: registerSchema,
    responses: { 201: { description: 'The new account and its access token', schema: sessionSchema } },
    errors: { 409: 'An account with this email already exists', 429: true },
  })
  async register(@Body(new ZodPipe(registerSchema)) input: RegisterInput) {
    return sessionView(await this.accounts.register(input));
  }

  @Public()
  @Post('auth/login')
  @HttpCode(200)
  @RateLimited('login')
  @ApiEndpoint({
    operationId: 'login',
    summary: 'Sign in',
    public: true,
    body: loginSchema,
    responses: { 200: { description: 'The account and a new access token', schema: sessionSchema } },
    errors: { 401: 'The email or password is wrong', 429: true },
  })
  async login(@Body(new ZodPipe(loginSchema)) input: LoginInput) {
    return sessionView(await this.accounts.login(input));
  }

  @Get('me')
  @ApiEndpoint({
    operationId: 'getProfile',
    summary: 'Your account',
    responses: { 200: { description: 'Your account', schema: userSchema } },
  })
  async me(@CurrentActor() actor: Actor) {
    return userView(await this.accounts.profile(actor));
  }

  @Patch('me')
  @ApiEndpoint({
    operationId: 'updateProfile',
    summary: 'Change your name or time zone',
    body: updateProfileSchema,
    responses: { 200: { description: 'Your changed account', schema: userSchema } },
  })
  async updateMe(
    @CurrentActor() actor: Actor,
    @Body(new ZodPipe(updateProfileSchema)) input: UpdateProfileInput,
  ) {
    return userView(await this.accounts.updateProfile(actor, input));
  }
}
