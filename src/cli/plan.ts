import { DiskFileSource } from '../core/inventory/source';
import { excludePatterns } from '../core/plan/exclude';
import { formatProblem } from '../core/plan/load';
import { selectSteps, type Selection } from '../core/plan/select';
import type { Plan } from '../core/plan/types';
import { previewSteps, type PlanPreview, type StepPreview } from '../core/phases/preview';
import { booleanFlag, stringFlag, UsageError } from './args';
import type { CommandContext } from './context';
import { formatReview } from './format';
import { count, EXIT_FAILED, EXIT_OK, out, printJson } from './io';
import { loadPlanFor } from './planFile';

/** `relayout plan [--plan FILE] [--phase ID] [--json]`: what the plan would do, per phase and step; writes nothing. */
export async function runPlan({ io, args, rootAbs }: CommandContext): Promise<number> {
  const { plan } = loadPlanFor(io, rootAbs, stringFlag(args, 'plan'), true);
  const selection = selected(plan, { phase: stringFlag(args, 'phase') });
  const preview = previewSteps(plan, new DiskFileSource(rootAbs, { exclude: excludePatterns(plan) }), selection.steps);
  if (booleanFlag(args, 'json')) printJson(io, { plan: plan.file, title: plan.title ?? null, root: plan.root, ...preview });
  else for (const line of formatPreview(plan, preview)) out(io, line);
  const blocked = preview.conflicts > 0 || preview.problems.some((problem) => problem.severity === 'error');
  return blocked ? EXIT_FAILED : EXIT_OK;
}

/** The steps `--phase`/`--step` name (all without either); an unknown id is a `UsageError` with the known ones. */
export function selected(plan: Plan, which: { phase?: string; step?: string }): Selection {
  const selection = selectSteps(plan, which);
  if (!selection.ok) throw new UsageError(selection.message);
  return selection;
}

/** The readable per-phase summary of a preview. */
export function formatPreview(plan: Plan, preview: PlanPreview): string[] {
  const lines = [`Plan ${plan.file}${plan.title ? `: ${plan.title}` : ''} (root ${plan.root || '.'})`];
  for (const problem of preview.problems) lines.push(`  ${formatProblem(problem)}`);
  for (const phase of preview.phases) {
    const files = phase.steps.reduce((sum, step) => sum + step.files, 0);
    lines.push('', `${phase.id}: ${phase.title}${files > 0 ? `  (${count(files, 'file')} to move)` : ''}`);
    for (const step of phase.steps) lines.push(...formatStep(step));
  }
  lines.push('', `${count(preview.conflicts, 'conflict')}, ${count(preview.reviewItems, 'item')} to review. Nothing was written.`);
  return lines;
}

function formatStep(step: StepPreview): string[] {
  const head = `  ${step.id} [${step.action}]  ${step.title}`;
  if (step.action !== 'move') return [head, `      ${step.does}`];
  const edits = step.edits.reduce((sum, edit) => sum + edit.count, 0);
  if (step.files === 0) return [head, '      nothing to move: its files are at their destination'];
  return [
    head,
    `      ${count(step.files, 'file')} in ${count(step.moves.length, 'move')}, ${count(edits, 'reference edit')} in ${count(step.edits.length, 'file')}, ` +
      `${count(step.creates.length, 'created file')}, ${count(step.conflicts.length, 'conflict')}, ${count(step.review.length, 'item')} to review`,
    ...details(step),
  ];
}

function details(step: Pick<StepPreview, 'moves' | 'edits' | 'creates' | 'conflicts' | 'review'>): string[] {
  const lines: string[] = [];
  for (const move of step.moves) lines.push(`      move  ${move.from}${move.folder ? '/' : ''} → ${move.to}${move.folder ? `/  (${count(move.files, 'file')})` : ''}`);
  for (const edit of step.edits) lines.push(`      edit  ${edit.file}  (${edit.count})`);
  for (const create of step.creates) lines.push(`      create  ${create.path}  ${create.reason}`);
  for (const conflict of step.conflicts) lines.push(`      CONFLICT  ${conflict.path}${conflict.line ? `:${conflict.line}` : ''}  ${conflict.reason}`);
  for (const item of step.review) lines.push(`      review  ${formatReview(item)}`);
  return lines;
}
