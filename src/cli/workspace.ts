import { existsSync, readFileSync, statSync } from 'node:fs';
import * as nodePath from 'node:path';
import { DiskFileSource } from '../core/inventory/source';
import { escapesRoot, normalize } from '../core/paths';
import { excludePatterns } from '../core/plan/exclude';
import { loadPlan } from '../core/plan/load';
import { ReferenceIndex } from '../core/refs/index';
import type { ReferenceGraph } from '../core/types';
import { UsageError } from './args';
import { err, type CliIo } from './io';

/** The repository a command works on: its absolute root, files on disk, and reference graph. */
export interface Workspace {
  rootAbs: string;
  source: DiskFileSource;
  graph: ReferenceGraph;
}

/** The absolute root named by `--root` (default the working directory); a `UsageError` when it is not a folder. */
export function resolveRoot(io: CliIo, root: string | undefined): string {
  const rootAbs = nodePath.resolve(io.cwd, root ?? '.');
  let isDirectory = false;
  try {
    isDirectory = statSync(rootAbs).isDirectory();
  } catch (error) {
    throw new UsageError(`cannot read root ${rootAbs}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (!isDirectory) throw new UsageError(`root ${rootAbs} is not a folder`);
  return rootAbs;
}

/** Where a workspace keeps its plan when `--plan` does not say otherwise. */
export const DEFAULT_PLAN_FILE = 'relayout.yaml';

/**
 * Reads the workspace and indexes its references, printing YAML and decoding problems on stderr as warnings. The
 * files the workspace's plan excludes are left out, as the plan commands and the editor leave them out.
 */
export function openWorkspace(io: CliIo, rootAbs: string): Workspace {
  const source = new DiskFileSource(rootAbs, { exclude: planExcludes(io, rootAbs) });
  const graph = ReferenceIndex.build(source);
  for (const problem of graph.problems()) {
    err(io, `${problem.file}:${problem.line}:${problem.column}: ${problem.message}`);
  }
  return { rootAbs, source, graph };
}

function planExcludes(io: CliIo, rootAbs: string): string[] {
  const fileAbs = nodePath.join(rootAbs, DEFAULT_PLAN_FILE);
  if (!existsSync(fileAbs)) return [];
  const { plan } = loadPlan(readFileSync(fileAbs, 'utf8'), DEFAULT_PLAN_FILE);
  if (plan !== undefined) return excludePatterns(plan);
  err(io, `${DEFAULT_PLAN_FILE} has errors (\`relayout plan\` lists them): its exclude list is not applied`);
  return [];
}

/**
 * A path argument as a workspace path: relative to the root, POSIX, normalized. Absolute paths inside the root are
 * accepted; a path outside it is a `UsageError`.
 */
export function workspacePath(rootAbs: string, path: string, what: string): string {
  const relativePath = nodePath.isAbsolute(path) ? nodePath.relative(rootAbs, path) : path;
  const normalized = normalize(relativePath.split(nodePath.sep).join('/'));
  if (escapesRoot(normalized) || nodePath.isAbsolute(normalized)) throw new UsageError(`${what} ${path} is outside the root ${rootAbs}`);
  return normalized;
}
