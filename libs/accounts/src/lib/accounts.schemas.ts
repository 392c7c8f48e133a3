import { isTimeZone } from '@todo/reminders';
import { z } from 'zod';

const timeZoneSchema = z.string().refine(isTimeZone, {
  message: 'must be an IANA time zone such as "Europe/Berlin" or "UTC"',
});

const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(320)
  .pipe(z.email({ message: 'must be an email address such as "ann@example.com"' }));
const password = z
  .string()
  .min(8, { message: 'must be at least 8 characters' })
  .max(200, { message: 'must be at most 200 characters' });
const name = z
  .string()
  .trim()
  .min(1, { message: 'must not be empty' })
  .max(200, { message: 'must be at most 200 characters' });

export const registerSchema = z.strictObject({
  email,
  password,
  name: name.optional(),
  time_zone: timeZoneSchema.optional(),
});
export const loginSchema = z.strictObject({
  email,
  password: z.string().min(1, { message: 'must not be empty' }).max(200),
});
export const updateProfileSchema = z
  .strictObject({ name: name.nullable().optional(), time_zone: timeZoneSchema.optional() })
  .refine((value) => Object.values(value).some((field) => field !== undefined), {
    message: 'send at least one of: name, time_zone',
  });

export type RegisterInput = z.infer<typeof registerSchema>;
export type LoginInput = z.infer<typeof loginSchema>;
export type UpdateProfileInput = z.infer<typeof updateProfileSchema>;

/** An account as REST returns it (snake_case). */
export const userSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string().nullable(),
    time_zone: z.string().describe('IANA time zone: dates without an offset are read in it'),
    created_at: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'User' });
export type UserView = z.infer<typeof userSchema>;

export const sessionSchema = z
  .object({
    user: userSchema,
    access_token: z.string().describe('Send as `Authorization: Bearer <access_token>`'),
  })
  .meta({ id: 'Session' });
