import { describeStatus, type StepView } from '../core/phases/run';
import { booleanFlag, stringFlag } from './args';
import type { CommandContext } from './context';
import { EXIT_OK, out, printJson } from './io';
import { loadPlanFor } from './planFile';

/** `relayout status [--plan FILE] [--json]`: phase and step progress, moves measured in the tree. */
export async function runStatus({ io, args, rootAbs }: CommandContext): Promise<number> {
  const { plan, fromFile } = loadPlanFor(io, rootAbs, stringFlag(args, 'plan'), true);
  const status = describeStatus(rootAbs, plan);
  if (booleanFlag(args, 'json')) {
    printJson(io, { ...status, planFromFile: fromFile });
    return EXIT_OK;
  }
  out(io, `Plan ${plan.file}${fromFile ? '' : ' (bundled default)'}${plan.title ? `: ${plan.title}` : ''}`);
  for (const phase of status.phases) {
    const files = phase.files.total > 0 ? `, files ${phase.files.done}/${phase.files.total} at their destination` : '';
    out(io, '');
    out(io, `${phase.id}: ${phase.title}  [${phase.completeSteps}/${phase.steps.length} steps${files}]`);
    const width = Math.max(...phase.steps.map((step) => step.id.length));
    for (const step of phase.steps) out(io, `  ${mark(step)} ${step.id.padEnd(width)}  ${describe(step)}`);
  }
  out(io, '');
  out(io, status.next ? `Next: ${status.next.phase}/${status.next.step}  (relayout apply --step ${status.next.step})` : 'Every step is done.');
  return EXIT_OK;
}

function mark(step: StepView): string {
  if (step.complete) return '✔';
  if (step.status === 'failed') return '✘';
  if (step.progress && step.progress.done > 0) return '◐';
  return '·';
}

function describe(step: StepView): string {
  const parts: string[] = [`[${step.action}]`];
  if (step.progress) parts.push(`${step.progress.done}/${step.progress.total} ${step.action === 'move' ? 'files at their destination' : 'created'}`);
  parts.push(step.complete && step.status !== 'done' ? 'done (seen in the tree)' : step.status);
  if (step.finishedAt) parts.push(step.finishedAt);
  if (step.summary) parts.push(`— ${step.summary}`);
  return parts.join('  ');
}
