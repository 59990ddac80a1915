import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as nodePath from 'node:path';
import { DiskFileSource } from '../core/inventory/source';
import { defaultPlanFor } from '../core/plan/defaultPlan';
import { importProposal } from '../core/plan/importProposal';
import { formatProblem } from '../core/plan/load';
import { booleanFlag, stringFlag, UsageError } from './args';
import type { CommandContext } from './context';
import { err, EXIT_OK, out } from './io';
import { DEFAULT_PLAN_FILE } from './planFile';
import { workspacePath } from './workspace';

/** `relayout import-proposal DOC.md [-o relayout.yaml] [--force]`: a plan drafted from a Markdown proposal. */
export async function runImportProposal({ io, args, rootAbs }: CommandContext): Promise<number> {
  const documentPath = workspacePath(rootAbs, args.positionals[0], 'DOC.md');
  let markdown: string;
  try {
    markdown = readFileSync(nodePath.join(rootAbs, documentPath), 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${documentPath}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const output = workspacePath(rootAbs, stringFlag(args, 'output') ?? DEFAULT_PLAN_FILE, '-o');
  refuseOverwrite(rootAbs, output, booleanFlag(args, 'force'));
  const result = importProposal(markdown, documentPath, output);
  for (const note of result.notes) err(io, `note: ${note}`);
  for (const problem of result.problems) err(io, formatProblem(problem));
  writeFileSync(nodePath.join(rootAbs, output), result.planText);
  const plan = result.plan;
  const summary = plan
    ? `${plan.layout.length} layout folders, ${plan.rules.length} rules, ${plan.phases.length} phases`
    : 'it does not load yet: fix the errors above';
  out(io, `Wrote ${output} from ${documentPath}: ${summary}. Review it, then run \`relayout plan\`.`);
  return EXIT_OK;
}

/** `relayout init [-o relayout.yaml] [--force]`: writes the bundled Bakery-IA plan for a workspace shaped like it. */
export async function runInit({ io, args, rootAbs }: CommandContext): Promise<number> {
  const output = workspacePath(rootAbs, stringFlag(args, 'output') ?? DEFAULT_PLAN_FILE, '-o');
  refuseOverwrite(rootAbs, output, booleanFlag(args, 'force'));
  const bundled = defaultPlanFor(new DiskFileSource(rootAbs).listFiles());
  if (bundled === undefined) {
    throw new UsageError('this workspace is not shaped like the Bakery-IA proposal; draft a plan with `relayout import-proposal DOC.md`');
  }
  writeFileSync(nodePath.join(rootAbs, output), bundled);
  out(io, `Wrote ${output}: the Bakery-IA plan. Run \`relayout plan\` to see what it does.`);
  return EXIT_OK;
}

function refuseOverwrite(rootAbs: string, output: string, force: boolean): void {
  if (!force && existsSync(nodePath.join(rootAbs, output))) throw new UsageError(`${output} exists; pass --force to overwrite it`);
}
