import { spawn } from 'node:child_process';
import * as nodePath from 'node:path';
import { buildArguments, type KustomizeTool } from './kustomizeTool';
import { canonicalObjects } from './objects';
import { defaultConcurrency, mapWithConcurrency } from './pool';

/** The result of rendering one kustomization root. */
export type RenderOutcome = { ok: true; objects: string[] } | { ok: false; error: string };

export interface RenderOptions {
  /** How many renders run at once (default: one per core). */
  concurrency?: number;
  /** A render taking longer than this is killed and reported as failed (default two minutes). */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 120_000;
const ERROR_LINES = 5;

/** Renders each root folder (workspace-relative) with the tool, in parallel; the map is keyed by root. */
export async function renderRoots(
  rootAbs: string,
  roots: readonly string[],
  tool: KustomizeTool,
  options: RenderOptions = {},
): Promise<Map<string, RenderOutcome>> {
  const concurrency = options.concurrency ?? defaultConcurrency();
  const outcomes = await mapWithConcurrency(roots, concurrency, (root) =>
    renderRoot(rootAbs, root, tool, options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
  );
  return new Map(roots.map((root, index) => [root, outcomes[index]]));
}

/** Renders one kustomization root in a child process and parses its objects. */
export function renderRoot(rootAbs: string, root: string, tool: KustomizeTool, timeoutMs: number): Promise<RenderOutcome> {
  const dir = nodePath.join(rootAbs, root);
  return new Promise((resolve) => {
    const child = spawn(tool.executable, buildArguments(tool, dir), {
      cwd: rootAbs,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error) => resolve({ ok: false, error: error.message }));
    child.on('close', (code, signal) => {
      if (code !== 0) {
        const reason = signal ? `killed by ${signal}${signal === 'SIGTERM' ? ' (timed out)' : ''}` : `exit ${code}`;
        resolve({ ok: false, error: firstLines(Buffer.concat(stderr).toString('utf8')) || reason });
        return;
      }
      try {
        resolve({ ok: true, objects: canonicalObjects(Buffer.concat(stdout).toString('utf8')) });
      } catch (error) {
        resolve({ ok: false, error: `unparseable output: ${(error as Error).message}` });
      }
    });
  });
}

function firstLines(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => line.trimEnd())
    .filter((line) => line !== '')
    .slice(0, ERROR_LINES)
    .join('\n');
}
