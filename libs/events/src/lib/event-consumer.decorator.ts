import { applyDecorators, Catch, Controller, type RpcExceptionFilter, UseFilters } from '@nestjs/common';
import { type Observable, throwError } from 'rxjs';

/**
 * Nest's default RPC filter replaces a handler's error with "Internal server error". Event
 * transports need the real error to decide on retries and to put it in the dead letter's headers.
 */
@Catch()
class RethrowHandlerErrors implements RpcExceptionFilter {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}

/**
 * Marks a class whose `@EventPattern` methods consume events. Use it instead of `@Controller()`:
 * handler errors then reach the transport unchanged (retries, dead-letter headers).
 */
export const EventConsumer = (): ClassDecorator =>
  applyDecorators(Controller(), UseFilters(RethrowHandlerErrors));
