import { Body, Controller, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, Public } from '@todo/auth';
import { ApiZodBody, ZodPipe } from '@todo/http';
import {
  loginSchema,
  registerSchema,
  updateProfileSchema,
  type LoginInput,
  type RegisterInput,
  type UpdateProfileInput,
} from './accounts.schemas';
import { AccountsService, type Session } from './accounts.service';
import { RateLimited } from './auth-rate-limit';
import type { UserEntity } from './user.entity';

/** REST (snake_case) view of an account. */
function userView(user: UserEntity) {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    time_zone: user.timeZone,
    created_at: user.createdAt,
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
  @ApiZodBody(registerSchema)
  async register(@Body(new ZodPipe(registerSchema)) input: RegisterInput) {
    return sessionView(await this.accounts.register(input));
  }

  @Public()
  @Post('auth/login')
  @HttpCode(200)
  @RateLimited('login')
  @ApiZodBody(loginSchema)
  async login(@Body(new ZodPipe(loginSchema)) input: LoginInput) {
    return sessionView(await this.accounts.login(input));
  }

  @Get('me')
  @ApiBearerAuth()
  async me(@CurrentActor() actor: Actor) {
    return userView(await this.accounts.profile(actor));
  }

  @Patch('me')
  @ApiBearerAuth()
  @ApiZodBody(updateProfileSchema)
  async updateMe(
    @CurrentActor() actor: Actor,
    @Body(new ZodPipe(updateProfileSchema)) input: UpdateProfileInput,
  ) {
    return userView(await this.accounts.updateProfile(actor, input));
  }
}
