import { DiskFileSource } from '../core/inventory/source';
import { excludePatterns } from '../core/plan/exclude';
import { previewSteps } from '../core/phases/preview';
import { runSteps, type StepOutcome } from '../core/phases/run';
import { booleanFlag, stringFlag, UsageError } from './args';
import type { CommandContext } from './context';
import { confirm, count, err, EXIT_FAILED, EXIT_OK, EXIT_USAGE, out } from './io';
import { formatPreview, selected } from './plan';
import { loadPlanFor } from './planFile';
import { kustomizeToolFor } from './verify';

const MARKS: Record<StepOutcome['status'], string> = { done: '✔', failed: '✘', skipped: '–', cancelled: '■' };

/** `relayout apply [--plan FILE] (--phase ID | --step ID | --all) [--dry-run] [--yes] [--kustomize-bin PATH]`. */
export async function runApply({ io, args, rootAbs }: CommandContext): Promise<number> {
  const phase = stringFlag(args, 'phase');
  const step = stringFlag(args, 'step');
  const all = booleanFlag(args, 'all');
  if ([phase !== undefined, step !== undefined, all].filter(Boolean).length !== 1) {
    throw new UsageError('name what to apply: exactly one of --phase ID, --step ID or --all');
  }
  const dryRun = booleanFlag(args, 'dry-run');
  const yes = booleanFlag(args, 'yes');
  const { plan } = loadPlanFor(io, rootAbs, stringFlag(args, 'plan'), false);
  const selection = selected(plan, { phase, step });
  const tool = kustomizeToolFor(io, rootAbs, stringFlag(args, 'kustomize-bin'));
  if (!dryRun && !yes && !io.isTTY) {
    err(io, 'relayout: no terminal to confirm: pass --yes to apply or --dry-run to preview');
    return EXIT_USAGE;
  }
  if (dryRun || !yes) {
    const preview = previewSteps(plan, new DiskFileSource(rootAbs, { exclude: excludePatterns(plan) }), selection.steps);
    for (const line of formatPreview(plan, preview)) out(io, line);
    if (dryRun) {
      err(io, 'dry run: nothing written');
      return preview.conflicts > 0 ? EXIT_FAILED : EXIT_OK;
    }
    if (!(await confirm(io, `Carry out ${count(selection.steps.length, 'step')}?`))) {
      err(io, 'not applied: nothing written');
      return EXIT_OK;
    }
  }
  // Ctrl-C stops the run at the next safe point: the step under way is undone, the steps before it stay done.
  let interrupted = false;
  const onInterrupt = (): void => {
    interrupted = true;
    err(io, 'relayout: stopping at the next safe point…');
  };
  process.once('SIGINT', onInterrupt);
  const result = await runSteps(rootAbs, plan, selection.steps, {
    tool,
    rerun: step !== undefined,
    onProgress: (event) => err(io, `${event.step}: ${event.message}`),
    isCancelled: () => interrupted,
  }).finally(() => process.off('SIGINT', onInterrupt));
  for (const outcome of result.outcomes) {
    out(io, `${MARKS[outcome.status]} ${outcome.phase}/${outcome.step}  ${outcome.status}: ${outcome.summary}`);
    for (const report of outcome.reports.filter((path) => path.startsWith('.relayout/reports/'))) out(io, `    report: ${report}`);
  }
  const done = result.outcomes.filter((outcome) => outcome.status === 'done').length;
  if (!result.ok) {
    err(io, `relayout: stopped at a failed step after ${count(done, 'step')} done; a failed step changes nothing in the tree (\`relayout status\` shows where things stand)`);
    return EXIT_FAILED;
  }
  out(io, `${count(done, 'step')} done, ${count(result.outcomes.length - done, 'step')} already done. \`relayout rollback\` undoes the last step.`);
  return EXIT_OK;
}
