// A small pool of worker threads for CPU-heavy parsing, so that one large or hostile upload
// never stalls the event loop that answers every other request. Bounded: `size` workers, at
// most `maxQueue` tasks waiting (more are refused with UnavailableError, a 503), each task
// limited in time (the worker is terminated and replaced) and in heap (resourceLimits).
// Workers start on first use, are not kept alive by an idle pool, and end after `idleMs`.
import { Worker, parentPort, type ResourceLimits, type Transferable } from 'node:worker_threads';
import { DomainError, InvalidError, TooLargeError, UnavailableError, type ErrorCode } from '../core/errors.js';

export interface WorkerPoolOptions {
  /** The worker's module: a `.js` file, or a `.ts` file run through tsx (development). */
  file: URL;
  size: number;
  maxQueue: number;
  /** An idle worker ends after this long (its heap is given back). */
  idleMs?: number;
  resourceLimits?: ResourceLimits;
}

export interface TaskOutcome<T> {
  result: T;
  parts: unknown[];
}

export interface WorkerPool {
  /** Runs `task` on a worker. Resolves with its result and every part it emitted, in order. */
  run<T>(task: string, input: unknown, options: { timeoutMs: number; transfer?: readonly Transferable[] }): Promise<TaskOutcome<T>>;
  /** Tasks running and waiting now. */
  load(): { running: number; queued: number; workers: number };
  close(): Promise<void>;
}

type ToWorker = { id: number; task: string; input: unknown } | { id: number; ack: true };
type WireError = { code?: ErrorCode; message: string; details?: Record<string, unknown> };
type FromWorker = { id: number; part: unknown } | { id: number; result: unknown } | { id: number; error: WireError };

interface Job {
  id: number;
  task: string;
  input: unknown;
  transfer: readonly Transferable[];
  timeoutMs: number;
  parts: unknown[];
  resolve(outcome: TaskOutcome<unknown>): void;
  reject(err: unknown): void;
}

interface Slot {
  worker: Worker;
  job: Job | undefined;
  timer: NodeJS.Timeout | undefined;
  idle: NodeJS.Timeout | undefined;
}

/** A domain error crosses the thread boundary as plain data and is rebuilt with its class. */
function rebuild(e: WireError): Error {
  if (e.code === 'invalid') return new InvalidError(e.message, e.details);
  if (e.code === 'too_large') return new TooLargeError(e.message, e.details);
  if (e.code) return new DomainError(e.code, e.message, e.details);
  return new Error(e.message);
}

/** A worker for `file`. TypeScript source (`npm run dev`, tests) is loaded through tsx, whose
 *  loader must be registered inside the thread before the module is imported: Node 20 does not
 *  apply `--import tsx` in a worker's execArgv to the worker's own entry module. */
function newWorker(file: URL, resourceLimits: ResourceLimits | undefined): Worker {
  if (!file.pathname.endsWith('.ts')) return new Worker(file, { resourceLimits });
  const api = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(file.href)}); })`;
  return new Worker(boot, { eval: true, resourceLimits });
}

export function createWorkerPool(options: WorkerPoolOptions): WorkerPool {
  const { file, size, maxQueue, idleMs = 30_000 } = options;
  const slots = new Set<Slot>();
  const queue: Job[] = [];
  let nextId = 1;
  let closed = false;

  function spawn(): Slot {
    const worker = newWorker(file, options.resourceLimits);
    const slot: Slot = { worker, job: undefined, timer: undefined, idle: undefined };
    worker.on('message', (msg: FromWorker) => {
      const job = slot.job;
      if (!job || msg.id !== job.id) return;
      if ('part' in msg) {
        // One part per turn of the event loop: the worker sends the next only when asked, so a
        // large result never arrives as one long run of message decoding.
        job.parts.push(msg.part);
        setImmediate(() => {
          if (slot.job === job) slot.worker.postMessage({ id: job.id, ack: true } satisfies ToWorker);
        });
        return;
      }
      finish(slot);
      if ('error' in msg) job.reject(rebuild(msg.error));
      else job.resolve({ result: msg.result, parts: job.parts });
      next();
    });
    // An uncaught error or an exhausted heap ends the thread: its task fails, a new worker takes the next.
    const lost = (err: Error | undefined) => {
      if (!slots.delete(slot)) return;
      const job = slot.job;
      finish(slot);
      if (job) {
        const oom = (err as { code?: string } | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
        job.reject(
          oom ? new TooLargeError(`${job.task}: the input needs more memory than a parser may use`) : (err ?? new Error(`${job.task}: the worker stopped`)),
        );
      }
      next();
    };
    worker.on('error', lost);
    worker.on('exit', () => lost(undefined));
    slots.add(slot);
    return slot;
  }

  function finish(slot: Slot) {
    clearTimeout(slot.timer);
    slot.timer = undefined;
    slot.job = undefined;
    slot.worker.unref();
    if (slots.has(slot)) {
      slot.idle = setTimeout(() => {
        slots.delete(slot);
        void slot.worker.terminate();
      }, idleMs);
      slot.idle.unref();
    }
  }

  function start(slot: Slot, job: Job) {
    clearTimeout(slot.idle);
    slot.job = job;
    slot.worker.ref(); // a running task keeps the process alive, an idle pool does not
    slot.timer = setTimeout(() => {
      if (slot.job !== job) return;
      slots.delete(slot);
      finish(slot);
      void slot.worker.terminate();
      job.reject(new TooLargeError(`${job.task}: parsing took longer than ${job.timeoutMs / 1000} s`));
      next();
    }, job.timeoutMs);
    const message: ToWorker = { id: job.id, task: job.task, input: job.input };
    try {
      slot.worker.postMessage(message, job.transfer);
    } catch (err) {
      finish(slot);
      job.reject(err);
      queueMicrotask(next);
    }
  }

  function freeSlot(): Slot | undefined {
    for (const slot of slots) if (!slot.job) return slot;
    return slots.size < size ? spawn() : undefined;
  }

  function next() {
    while (!closed && queue.length > 0) {
      const slot = freeSlot();
      if (!slot) return;
      start(slot, queue.shift()!);
    }
  }

  return {
    run<T>(task: string, input: unknown, opts: { timeoutMs: number; transfer?: readonly Transferable[] }): Promise<TaskOutcome<T>> {
      if (closed) return Promise.reject(new UnavailableError('the server is shutting down', 5));
      const busy = [...slots].filter((s) => s.job).length;
      if (busy >= size && queue.length >= maxQueue) {
        return Promise.reject(new UnavailableError(`the server is busy with other large uploads (${busy} parsing, ${queue.length} waiting); retry shortly`, 5));
      }
      return new Promise<TaskOutcome<T>>((resolve, reject) => {
        queue.push({
          id: nextId++,
          task,
          input,
          transfer: opts.transfer ?? [],
          timeoutMs: opts.timeoutMs,
          parts: [],
          resolve: resolve as (o: TaskOutcome<unknown>) => void,
          reject,
        });
        next();
      });
    },
    load: () => ({ running: [...slots].filter((s) => s.job).length, queued: queue.length, workers: slots.size }),
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new UnavailableError('the server is shutting down', 5));
      const all = [...slots];
      slots.clear();
      for (const slot of all) {
        clearTimeout(slot.idle);
        if (slot.job) {
          const job = slot.job;
          finish(slot);
          job.reject(new UnavailableError('the server is shutting down', 5));
        }
      }
      await Promise.all(all.map((s) => s.worker.terminate()));
    },
  };
}

/** A task; `emit` hands a part of the result over and resolves when the pool wants the next. */
export type TaskHandler = (input: never, emit: (part: unknown) => Promise<void>) => unknown;

/**
 * The worker side: answers each task message with the handler's result, or with the error it
 * threw (a DomainError keeps its code, message and details; any other error only its message).
 *
 * @example
 * // parse-worker.ts
 * serveWorkerTasks({ 'report:json': (input: { body: Uint8Array }) => parseJsonReport(JSON.parse(...)) });
 */
export function serveWorkerTasks(handlers: Record<string, TaskHandler>): void {
  const port = parentPort;
  if (!port) throw new Error('serveWorkerTasks runs in a worker thread');
  const acks = new Map<number, () => void>();
  port.on('message', async (msg: ToWorker) => {
    if ('ack' in msg) {
      acks.get(msg.id)?.();
      return;
    }
    const handler = handlers[msg.task];
    const emit = (part: unknown) =>
      new Promise<void>((resolve) => {
        acks.set(msg.id, resolve);
        port.postMessage({ id: msg.id, part });
      });
    try {
      if (!handler) throw new Error(`unknown task ${msg.task}`);
      const result = await handler(msg.input as never, emit);
      port.postMessage({ id: msg.id, result });
    } catch (err) {
      const error: WireError =
        err instanceof DomainError
          ? { code: err.code, message: err.message, details: err.details }
          : { message: err instanceof Error ? err.message : String(err) };
      port.postMessage({ id: msg.id, error });
    } finally {
      acks.delete(msg.id);
    }
  });
}
