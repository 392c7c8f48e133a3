import { Args, Field, ID, InputType, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { type Actor, CurrentActor, Public } from '@todo/auth';
import { parseOrThrow } from '@todo/errors';
import { loginSchema, registerSchema, updateProfileSchema } from './accounts.schemas';
import { AccountsService } from './accounts.service';
import { RateLimited } from './auth-rate-limit';

@ObjectType('User')
class UserType {
  @Field(() => ID) id!: string;
  @Field() email!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field() timeZone!: string;
  @Field() createdAt!: Date;
}

@ObjectType('AuthPayload')
class AuthPayloadType {
  @Field(() => UserType) user!: UserType;
  @Field() accessToken!: string;
}

@InputType()
class RegisterInput {
  @Field() email!: string;
  @Field() password!: string;
  @Field(() => String, { nullable: true }) name?: string;
  @Field(() => String, { nullable: true }) timeZone?: string;
}

@InputType()
class LoginInput {
  @Field() email!: string;
  @Field() password!: string;
}

@InputType()
class UpdateMeInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) timeZone?: string;
}

/** GraphQL inputs are camelCase; the shared schemas speak the wire's snake_case (`time_zone`). */
@Resolver()
export class AccountsResolver {
  constructor(private readonly accounts: AccountsService) {}

  @Public()
  @RateLimited('register')
  @Mutation(() => AuthPayloadType)
  register(@Args('input') { timeZone, ...rest }: RegisterInput) {
    return this.accounts.register(parseOrThrow(registerSchema, { ...rest, time_zone: timeZone }, 'camel'));
  }

  @Public()
  @RateLimited('login')
  @Mutation(() => AuthPayloadType)
  login(@Args('input') input: LoginInput) {
    return this.accounts.login(parseOrThrow(loginSchema, { ...input }, 'camel'));
  }

  @Query(() => UserType)
  me(@CurrentActor() actor: Actor) {
    return this.accounts.profile(actor);
  }

  @Mutation(() => UserType)
  updateMe(@CurrentActor() actor: Actor, @Args('input') { timeZone, ...rest }: UpdateMeInput) {
    return this.accounts.updateProfile(
      actor,
      parseOrThrow(updateProfileSchema, { ...rest, time_zone: timeZone }, 'camel'),
    );
  }
}
