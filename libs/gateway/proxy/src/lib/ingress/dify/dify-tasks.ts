import { Injectable } from '@nestjs/common';

interface RunningTask {
  keyId: string;
  user: string;
  stop(): void;
}

/**
 * Generations in flight in this process, by Dify task id, so that the stop endpoints can end them.
 * A stop names a task of the same key and user or does nothing (Dify answers success either way).
 * A task runs on the replica that serves its stream: a stop that lands on another replica finds
 * nothing (docs/dify.md).
 */
@Injectable()
export class DifyTasks {
  private readonly running = new Map<string, RunningTask>();

  start(taskId: string, task: RunningTask): void {
    this.running.set(taskId, task);
  }

  end(taskId: string): void {
    this.running.delete(taskId);
  }

  /** True when a task of this key and user was running and is now told to stop. */
  stop(taskId: string, keyId: string, user: string): boolean {
    const task = this.running.get(taskId);
    if (!task || task.keyId !== keyId || task.user !== user) return false;
    this.running.delete(taskId);
    task.stop();
    return true;
  }
}
