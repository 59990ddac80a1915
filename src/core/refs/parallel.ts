/**
 * Extraction of a large tree on two threads: while the index builds on the calling thread, a helper thread (a worker
 * running `extractWorker`) reads and extracts files too. Both take chunks of the sorted listing from one shared
 * counter, so whichever thread is faster (the helper starts late, with a cold JIT) simply takes more. Only a
 * `DiskFileSource` can be shared this way (the helper opens its own on the same root with the same excludes), and only
 * where the helper script is found next to this module: `extractWorker.js` beside a bundle, `extractWorker.ts` when
 * the engine runs from TypeScript (tests).
 */
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, workerData, type MessagePort } from 'node:worker_threads';
import { chartFoldersOf } from '../inventory/classify';
import { DiskFileSource } from '../inventory/source';
import type { EntryType, FileSource } from '../types';
import { extractIndexedFile, ListedTree, type IndexedFile } from './indexedFile';

/** Below this many files a helper thread costs more to start than it saves. */
export const PARALLEL_MIN_FILES = 2_000;

/** Files claimed at a time: small enough to balance the threads, large enough to keep the counter uncontended. */
const CHUNK = 32;

/** Slots of the shared state. */
const NEXT = 0;
const PHASE = 1;
const DONE = 2;

/** `PHASE` values: the helper has not started, has started serving, or was told not to start. */
const PENDING = 0;
const SERVING = 1;
const ABANDONED = 2;

/** How long the calling thread waits for the helper before it gives up with an error. */
const HELPER_TIMEOUT_MS = 5 * 60_000;

interface HelperJob {
  root: string;
  exclude: readonly string[];
  entries: readonly { path: string; type?: EntryType }[];
  state: SharedArrayBuffer;
  port: MessagePort;
}

type HelperReply = { results: [number, IndexedFile][] } | { error: string };

/** The other thread's side of a parallel extraction, as the calling thread drives it. */
export class ExtractionHelper {
  private readonly state: Int32Array;

  private constructor(
    private readonly worker: Worker,
    private readonly port: MessagePort,
    shared: SharedArrayBuffer,
    private readonly total: number,
  ) {
    this.state = new Int32Array(shared);
  }

  /**
   * Starts a helper for `entries` (sorted as the index lists them) when `source` is a `DiskFileSource` and the helper
   * script exists; undefined otherwise, and the caller extracts everything itself.
   */
  static start(source: FileSource, entries: readonly { path: string; type?: EntryType }[]): ExtractionHelper | undefined {
    if (!(source instanceof DiskFileSource)) return undefined;
    const script = helperScript();
    if (!script) return undefined;
    const shared = new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT);
    const { port1, port2 } = new MessageChannel();
    const job: HelperJob = { root: source.root, exclude: source.exclude, entries, state: shared, port: port2 };
    let worker: Worker;
    try {
      worker = new Worker(script.file, { workerData: job, transferList: [port2], execArgv: script.execArgv });
    } catch {
      // No thread to be had (resource limits): this thread extracts everything, as for a small tree.
      port1.close();
      return undefined;
    }
    // The helper must never keep a process alive, nor crash it: a helper that fails to start takes no chunk, and
    // one that fails later reports it through `finish`.
    worker.unref();
    worker.on('error', () => undefined);
    return new ExtractionHelper(worker, port1, shared, entries.length);
  }

  /**
   * Waits until the helper has started taking chunks (a helper that starts after every chunk is taken does nothing),
   * for a caller that wants it to take part whatever the tree's size; false when it did not start within `timeoutMs`.
   */
  awaitStart(timeoutMs: number): boolean {
    Atomics.wait(this.state, PHASE, PENDING, timeoutMs);
    return Atomics.load(this.state, PHASE) === SERVING;
  }

  /** The next chunk of entry indexes for the calling thread, or undefined when every chunk is taken. */
  claim(): { start: number; end: number } | undefined {
    const start = Atomics.add(this.state, NEXT, CHUNK);
    return start < this.total ? { start, end: Math.min(this.total, start + CHUNK) } : undefined;
  }

  /**
   * Once every chunk is claimed: the helper's extractions, by entry index (none when it never got to start). Blocks
   * until the helper has finished its last chunk; rethrows what failed in it.
   */
  finish(): [number, IndexedFile][] {
    try {
      if (Atomics.compareExchange(this.state, PHASE, PENDING, ABANDONED) === PENDING) return [];
      if (Atomics.wait(this.state, DONE, 0, HELPER_TIMEOUT_MS) === 'timed-out') {
        throw new Error('The reference index helper thread did not finish extracting its files');
      }
      const reply = receiveMessageOnPort(this.port)?.message as HelperReply | undefined;
      if (!reply) throw new Error('The reference index helper thread stopped without sending its files');
      if ('error' in reply) throw new Error(`The reference index helper thread failed: ${reply.error}`);
      return reply.results;
    } finally {
      this.port.close();
      void this.worker.terminate();
    }
  }
}

function helperScript(): { file: string; execArgv?: string[] } | undefined {
  const bundled = nodePath.join(__dirname, 'extractWorker.js');
  if (fs.existsSync(bundled)) return { file: bundled };
  const typescript = nodePath.join(__dirname, 'extractWorker.ts');
  if (fs.existsSync(typescript)) return { file: typescript, execArgv: ['--require', 'tsx/cjs'] };
  return undefined;
}

/** The helper thread's work: extracts the chunks it claims and replies with them, or with what failed. */
export function serveExtraction(): void {
  const job = workerData as HelperJob;
  const state = new Int32Array(job.state);
  if (Atomics.compareExchange(state, PHASE, PENDING, SERVING) !== PENDING) return;
  Atomics.notify(state, PHASE);
  let reply: HelperReply;
  try {
    const source = new DiskFileSource(job.root, { exclude: [...job.exclude] });
    const tree = new ListedTree(source);
    for (const entry of job.entries) tree.add(entry.path, entry.type);
    const chartFolders = chartFoldersOf(job.entries.map((entry) => entry.path));
    const results: [number, IndexedFile][] = [];
    for (let start = Atomics.add(state, NEXT, CHUNK); start < job.entries.length; start = Atomics.add(state, NEXT, CHUNK)) {
      for (let i = start; i < Math.min(job.entries.length, start + CHUNK); i++) {
        const entry = job.entries[i];
        results.push([i, extractIndexedFile(entry.path, entry.type, source, tree, chartFolders)]);
      }
    }
    reply = { results };
  } catch (error) {
    reply = { error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  job.port.postMessage(reply);
  Atomics.store(state, DONE, 1);
  Atomics.notify(state, DONE);
}

