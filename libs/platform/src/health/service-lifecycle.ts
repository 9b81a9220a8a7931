import { Injectable } from '@nestjs/common';

/**
 * Where the service is in its life. Once draining (a stop signal arrived), /readyz answers 503 so load balancers
 * stop sending traffic, and every response closes its keep-alive connection.
 */
@Injectable()
export class ServiceLifecycle {
  readonly startedAt = new Date();
  private drainingSince?: Date;

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  beginDrain(): void {
    this.drainingSince ??= new Date();
  }
}
