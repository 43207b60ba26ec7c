import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InvalidationBus } from '@synapse/gateway/cluster';

interface RunningTask {
  keyId: string;
  user: string;
  stop(): void;
}

interface StopOrder {
  taskId: string;
  keyId: string;
  user: string;
}

/**
 * Generations in flight in this process, by Dify task id, so that the stop endpoints can end them.
 * A stop names a task of the same key and user or does nothing (Dify answers success either way).
 * A task runs on the replica that serves its stream: a stop for a task this replica does not hold
 * goes to every replica over the invalidation bus (Redis pub/sub), and the one holding it stops it.
 */
@Injectable()
export class DifyTasks implements OnModuleInit {
  private readonly logger = new Logger('Dify');
  private readonly running = new Map<string, RunningTask>();

  constructor(private readonly bus: InvalidationBus) {}

  onModuleInit(): void {
    this.bus.subscribe('dify-stop', (message) => {
      try {
        const order = JSON.parse(message) as StopOrder;
        this.stopHere(order.taskId, order.keyId, order.user);
      } catch {
        this.logger.warn('ignored a malformed Dify stop order');
      }
    });
  }

  start(taskId: string, task: RunningTask): void {
    this.running.set(taskId, task);
  }

  end(taskId: string): void {
    this.running.delete(taskId);
  }

  /** Stops the task here if this replica holds it, else asks the other replicas to. */
  stop(taskId: string, keyId: string, user: string): void {
    if (this.stopHere(taskId, keyId, user)) return;
    const order: StopOrder = { taskId, keyId, user };
    this.bus
      .publish('dify-stop', JSON.stringify(order))
      .catch((error: Error) =>
        this.logger.warn(`Dify stop of ${taskId} not sent to the other replicas: ${error.message}`),
      );
  }

  /** True when a task of this key and user was running here and is now told to stop. */
  stopHere(taskId: string, keyId: string, user: string): boolean {
    const task = this.running.get(taskId);
    if (!task || task.keyId !== keyId || task.user !== user) return false;
    this.running.delete(taskId);
    task.stop();
    return true;
  }
}
