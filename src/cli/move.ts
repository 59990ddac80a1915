import { applyPlan } from '../core/apply/apply';
import { planMoves } from '../core/moves/plan';
import type { MovePlan } from '../core/types';
import { captureBaseline, DEFAULT_BASELINE_PATH } from '../core/verify/baseline';
import { booleanFlag, stringFlag } from './args';
import type { CommandContext } from './context';
import { formatPlan } from './format';
import { confirm, count, err, EXIT_FAILED, EXIT_OK, EXIT_USAGE, out, printJson } from './io';
import { requestedMoves } from './moves';
import { kustomizeToolFor } from './verify';
import { openWorkspace } from './workspace';

/** What `relayout move --json` prints: the plan, and what became of it. */
interface MoveResult extends MovePlan {
  dryRun: boolean;
  applied: boolean;
  /** Where the pre-apply baseline was written and whether it holds renders; only when applied. */
  baseline?: { file: string; renders: 'rendered' | 'skipped'; reason?: string };
}

/** `relayout move FROM TO | --moves FILE.json [--dry-run] [--json] [--yes] [--kustomize-bin PATH]`. */
export async function runMove({ io, args, rootAbs }: CommandContext): Promise<number> {
  const json = booleanFlag(args, 'json');
  const dryRun = booleanFlag(args, 'dry-run');
  const yes = booleanFlag(args, 'yes');
  const moves = requestedMoves(rootAbs, args.positionals, stringFlag(args, 'moves'));
  const tool = kustomizeToolFor(io, rootAbs, stringFlag(args, 'kustomize-bin'));
  if (!dryRun && !yes && !io.isTTY) {
    err(io, 'relayout: no terminal to confirm: pass --yes to apply or --dry-run to preview');
    return EXIT_USAGE;
  }

  const { source, graph } = openWorkspace(io, rootAbs);
  const plan = planMoves(moves, graph, source);
  const result: MoveResult = { ...plan, dryRun, applied: false };
  const finish = (code: number): number => {
    if (json) printJson(io, result);
    return code;
  };
  if (!json) for (const line of formatPlan(plan)) out(io, line);

  if (plan.conflicts.length > 0) {
    err(io, `relayout: ${count(plan.conflicts.length, 'conflict')}: nothing written`);
    return finish(EXIT_FAILED);
  }
  if (dryRun) {
    err(io, 'dry run: nothing written');
    return finish(EXIT_OK);
  }
  if (!yes && !(await confirm(io, `Apply ${count(plan.renames.length, 'rename')} and ${count(plan.edits.length, 'edit')}?`))) {
    err(io, 'not applied: nothing written');
    return finish(EXIT_OK);
  }

  err(io, 'capturing the baseline (broken references and kustomize renders)…');
  const baseline = await captureBaseline(rootAbs, source, graph, { tool });
  result.baseline =
    baseline.renders.status === 'rendered'
      ? { file: DEFAULT_BASELINE_PATH, renders: 'rendered' }
      : { file: DEFAULT_BASELINE_PATH, renders: 'skipped', reason: baseline.renders.reason };
  if (baseline.renders.status === 'skipped') err(io, `baseline without renders: ${baseline.renders.reason}`);

  try {
    applyPlan(plan, rootAbs, source);
  } catch (error) {
    err(io, `relayout: ${(error as Error).message}`);
    return finish(EXIT_FAILED);
  }
  result.applied = true;
  const summary =
    `Applied ${count(plan.renames.length, 'rename')}, ${count(plan.edits.length, 'edit')}, ` +
    `${count(plan.creates.length, 'created file')}. ` +
    'Run `relayout verify` to check that every reference resolves and kustomize renders the same objects.';
  if (json) err(io, summary);
  else out(io, summary);
  return finish(EXIT_OK);
}
