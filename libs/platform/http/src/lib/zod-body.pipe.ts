import { PipeTransform } from '@nestjs/common';
import { parseOrThrow, type PathStyle } from '@todo/errors';
import type { z } from 'zod';

/** Validates a REST body or query with a zod schema; messages name fields as the client sent them. */
export class ZodPipe<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(
    private readonly schema: S,
    private readonly style: PathStyle = 'snake',
  ) {}

  transform(value: unknown): z.infer<S> {
    return parseOrThrow(this.schema, value, this.style);
  }
}
