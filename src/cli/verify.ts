import { existsSync } from 'node:fs';
import * as nodePath from 'node:path';
import { BaselineError, DEFAULT_BASELINE_PATH, readBaseline, type Baseline } from '../core/verify/baseline';
import { findKustomizeTool, type KustomizeTool } from '../core/verify/kustomizeTool';
import { toSarif } from '../core/verify/sarif';
import { verify } from '../core/verify/verify';
import { booleanFlag, stringFlag, UsageError } from './args';
import type { CommandContext } from './context';
import { formatVerifyReport } from './format';
import { err, EXIT_FAILED, EXIT_OK, out, printJson, type CliIo } from './io';
import { appliedRenamesSince } from './journal';
import { openWorkspace } from './workspace';

type VerifyFormat = 'text' | 'json' | 'sarif';

/** `relayout verify [--baseline FILE] [--json] [--format text|sarif] [--kustomize-bin PATH]`. */
export async function runVerify({ io, args, rootAbs }: CommandContext): Promise<number> {
  const format = verifyFormat(booleanFlag(args, 'json'), stringFlag(args, 'format'));
  const tool = kustomizeToolFor(io, rootAbs, stringFlag(args, 'kustomize-bin'));
  const baseline = await loadBaseline(io, rootAbs, stringFlag(args, 'baseline'));
  const workspace = openWorkspace(io, rootAbs);
  const renames = baseline ? appliedRenamesSince(rootAbs, baseline) : [];
  if (format === 'text' && tool !== undefined) err(io, `rendering kustomization roots with ${tool.executable}…`);
  const report = await verify(rootAbs, workspace.source, workspace.graph, baseline, renames, { tool });
  if (format === 'json') printJson(io, report);
  else if (format === 'sarif') printJson(io, toSarif(report));
  else for (const line of formatVerifyReport(report)) out(io, line);
  if (format !== 'text') err(io, report.passed ? 'verify: passed' : 'verify: FAILED');
  return report.passed ? EXIT_OK : EXIT_FAILED;
}

/**
 * The kustomize implementation for rendering, or undefined when none is installed (rendering is then skipped).
 * A binary named with a path is relative to the root; one that cannot run is a `UsageError`.
 */
export function kustomizeToolFor(io: CliIo, rootAbs: string, explicit: string | undefined): KustomizeTool | undefined {
  const named = explicit === undefined || !explicit.includes('/') ? explicit : nodePath.resolve(rootAbs, explicit);
  const lookup = findKustomizeTool(named, io.env);
  if (lookup.status === 'invalid') throw new UsageError(lookup.message);
  return lookup.status === 'found' ? lookup.tool : undefined;
}

function verifyFormat(json: boolean, format: string | undefined): VerifyFormat {
  if (format !== undefined && format !== 'text' && format !== 'sarif' && format !== 'json') {
    throw new UsageError(`unknown --format '${format}' (text, json or sarif)`);
  }
  if (json && format !== undefined && format !== 'json') throw new UsageError(`--json and --format ${format} cannot be combined`);
  return json ? 'json' : ((format ?? 'text') as VerifyFormat);
}

async function loadBaseline(io: CliIo, rootAbs: string, explicit: string | undefined): Promise<Baseline | undefined> {
  const file = nodePath.resolve(rootAbs, explicit ?? DEFAULT_BASELINE_PATH);
  if (explicit === undefined && !existsSync(file)) {
    err(io, `no baseline at ${DEFAULT_BASELINE_PATH} (one is written before every move): checking without one`);
    return undefined;
  }
  try {
    return await readBaseline(file);
  } catch (error) {
    if (error instanceof BaselineError) throw new UsageError(error.message);
    throw error;
  }
}
