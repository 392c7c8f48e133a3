import { BaseRpcContext } from '@nestjs/microservices';

/** What a handler may want to know about a delivery besides the event (`@Ctx() context`). */
export class EventContext extends BaseRpcContext<[topic: string, consumer: string, attempt: number]> {
  get topic(): string {
    return this.args[0];
  }
  get consumer(): string {
    return this.args[1];
  }
  /** 1 on first delivery, higher on retries and redeliveries the transport knows about. */
  get attempt(): number {
    return this.args[2];
  }
}
