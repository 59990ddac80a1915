import { existsSync, readFileSync } from 'node:fs';
import * as nodePath from 'node:path';
import { DiskFileSource } from '../core/inventory/source';
import { defaultPlanFor } from '../core/plan/defaultPlan';
import { formatProblem, loadPlan } from '../core/plan/load';
import type { Plan } from '../core/plan/types';
import { UsageError } from './args';
import { err, type CliIo } from './io';
import { DEFAULT_PLAN_FILE, workspacePath } from './workspace';

export { DEFAULT_PLAN_FILE };

/** A loaded plan and whether it came from a file or is the bundled default. */
export interface LoadedPlan {
  plan: Plan;
  fromFile: boolean;
}

/**
 * The plan a command works with: `--plan FILE`, else `relayout.yaml` at the root, else (when `allowDefault`) the
 * bundled Bakery-IA plan for a workspace shaped like its proposal. Problems print as `file:line:col: …` on stderr;
 * any error in the plan, a missing file, or no plan at all is a `UsageError` (exit 2).
 */
export function loadPlanFor(io: CliIo, rootAbs: string, explicit: string | undefined, allowDefault: boolean): LoadedPlan {
  const file = explicit === undefined ? DEFAULT_PLAN_FILE : workspacePath(rootAbs, explicit, '--plan');
  const fileAbs = nodePath.join(rootAbs, file);
  if (existsSync(fileAbs)) return { plan: parsed(io, readFileSync(fileAbs, 'utf8'), file), fromFile: true };
  if (explicit !== undefined) throw new UsageError(`plan file ${file} does not exist`);
  const bundled = defaultPlanFor(new DiskFileSource(rootAbs).listFiles());
  if (bundled === undefined) {
    throw new UsageError(`no plan: ${DEFAULT_PLAN_FILE} does not exist; write one with \`relayout import-proposal DOC.md\``);
  }
  if (!allowDefault) {
    throw new UsageError(
      `no plan file ${DEFAULT_PLAN_FILE}: run \`relayout init\` to write the bundled Bakery-IA plan, or \`relayout import-proposal DOC.md\``,
    );
  }
  err(io, `no ${DEFAULT_PLAN_FILE}: infrastructure/ is shaped like the Bakery-IA proposal's, so the bundled Bakery-IA plan is used (\`relayout init\` writes it)`);
  return { plan: parsed(io, bundled, DEFAULT_PLAN_FILE), fromFile: false };
}

function parsed(io: CliIo, text: string, file: string): Plan {
  const { plan, problems } = loadPlan(text, file);
  for (const problem of problems) err(io, formatProblem(problem));
  if (plan === undefined) {
    const errors = problems.filter((problem) => problem.severity === 'error').length;
    throw new UsageError(`${file} has ${errors} error${errors === 1 ? '' : 's'}; fix ${errors === 1 ? 'it' : 'them'} first`);
  }
  return plan;
}
