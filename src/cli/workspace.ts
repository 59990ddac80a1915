import { statSync } from 'node:fs';
import * as nodePath from 'node:path';
import { DiskFileSource } from '../core/inventory/source';
import { escapesRoot, normalize } from '../core/paths';
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

/** Reads the workspace and indexes its references, printing YAML and decoding problems on stderr as warnings. */
export function openWorkspace(io: CliIo, rootAbs: string): Workspace {
  const source = new DiskFileSource(rootAbs);
  const graph = ReferenceIndex.build(source);
  for (const problem of graph.problems()) {
    err(io, `${problem.file}:${problem.line}:${problem.column}: ${problem.message}`);
  }
  return { rootAbs, source, graph };
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
