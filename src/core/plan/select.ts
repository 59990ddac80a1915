/** Picks the steps (and the rules they apply) that `relayout plan/apply --phase ID | --step ID` name. */
import { closestName } from './load';
import type { Plan, PlanPhase, PlanStep } from './types';

export interface Selection {
  /** The selected steps, in plan order, with their phase. */
  steps: { phase: PlanPhase; step: PlanStep }[];
  /** Rule ids the selected move steps apply, in order, without repeats. */
  rules: string[];
}

export type SelectResult = ({ ok: true } & Selection) | { ok: false; message: string };

/**
 * The steps of one phase, one step, or (with neither) every step. An unknown id yields a sentence naming the ids
 * there are and the closest one.
 */
export function selectSteps(plan: Plan, which: { phase?: string; step?: string } = {}): SelectResult {
  const all = plan.phases.flatMap((phase) => phase.steps.map((step) => ({ phase, step })));
  let steps = all;
  if (which.phase !== undefined) {
    const ids = plan.phases.map((p) => p.id);
    if (!ids.includes(which.phase)) return { ok: false, message: unknown('phase', which.phase, ids) };
    steps = steps.filter((s) => s.phase.id === which.phase);
  }
  if (which.step !== undefined) {
    const ids = steps.map((s) => s.step.id);
    if (!ids.includes(which.step)) return { ok: false, message: unknown('step', which.step, ids) };
    steps = steps.filter((s) => s.step.id === which.step);
  }
  const rules: string[] = [];
  for (const { step } of steps) for (const rule of step.rules) if (!rules.includes(rule)) rules.push(rule);
  return { ok: true, steps, rules };
}

function unknown(kind: string, id: string, ids: string[]): string {
  const close = closestName(id, ids);
  const hint = close ? ` Did you mean \`${close}\`?` : '';
  const known = ids.length > 0 ? ` The plan's ${kind}s: ${ids.join(', ')}.` : ` The plan has no ${kind}s.`;
  return `The plan has no ${kind} \`${id}\`.${hint}${known}`;
}
