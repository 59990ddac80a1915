/**
 * What plan steps would do, without writing anything: the pending moves of the selected move steps planned as one
 * batch against the tree (as `applyPlan` would carry them out together) and split by step; for the other actions,
 * what they would write.
 */
import type { Plan, PlanPhase, PlanStep, StepAction } from '../plan/types';
import type { Conflict, FileCreate, FileSource, Problem, ReviewItem } from '../types';
import { compilePlan, type RuleMove } from '../plan/compile';
import { MIGRATION_MAP_PATH } from './docs';
import { assessImpact } from './run';

export interface StepPreview {
  phase: string;
  id: string;
  title: string;
  action: StepAction;
  /** What the step does, in one sentence. */
  does: string;
  moves: RuleMove[];
  /** Files its moves carry. */
  files: number;
  edits: { file: string; count: number }[];
  creates: FileCreate[];
  conflicts: Conflict[];
  review: ReviewItem[];
}

export interface PhasePreview {
  id: string;
  title: string;
  steps: StepPreview[];
}

export interface PlanPreview {
  phases: PhasePreview[];
  /** Effects of the batch that no single step explains. */
  unattributed: Omit<StepPreview, 'phase' | 'id' | 'title' | 'action' | 'does'>;
  /** Compile problems of the plan against this tree (errors block an apply). */
  problems: Problem[];
  conflicts: number;
  reviewItems: number;
}

export function previewSteps(plan: Plan, source: FileSource, steps: readonly { phase: PlanPhase; step: PlanStep }[]): PlanPreview {
  const rules = [...new Set(steps.flatMap(({ step }) => step.rules))];
  const impact = assessImpact(plan, source, rules);
  const problems = compilePlan(plan, source.listFiles(), { rules }).problems;
  const byStep = new Map(impact.steps.map((step) => [step.step, step]));
  const phases: PhasePreview[] = [];
  for (const { phase, step } of steps) {
    let entry = phases.find((candidate) => candidate.id === phase.id);
    if (!entry) phases.push((entry = { id: phase.id, title: phase.title, steps: [] }));
    const found = byStep.get(step.id);
    entry.steps.push({
      phase: phase.id,
      id: step.id,
      title: step.title,
      action: step.action,
      does: describeAction(plan, step),
      moves: found?.moves ?? [],
      files: found?.files ?? 0,
      edits: found?.edits ?? [],
      creates: found?.creates ?? [],
      conflicts: found?.conflicts ?? [],
      review: found?.review ?? [],
    });
  }
  const all = [...impact.steps, impact.unattributed];
  const { moves, files, edits, creates, conflicts, review } = impact.unattributed;
  return {
    phases,
    unattributed: { moves, files, edits, creates, conflicts, review },
    problems,
    conflicts: all.reduce((sum, step) => sum + step.conflicts.length, 0),
    reviewItems: all.reduce((sum, step) => sum + step.review.length, 0),
  };
}

function describeAction(plan: Plan, step: PlanStep): string {
  const root = plan.root || '.';
  switch (step.action) {
    case 'inventory':
      return 'writes .relayout/reports/inventory.md: files by kind and folder';
    case 'dependency-map':
      return 'writes .relayout/reports/dependency-map.md: references grouped by folder';
    case 'impact':
      return 'writes .relayout/reports/impact.md: edits, conflicts and needs-review items of the pending moves';
    case 'backup':
      return 'tags HEAD in a clean git tree, or copies the workspace to .relayout/backups/; captures the verification baseline';
    case 'move':
      return `moves the files of rules ${step.rules.join(', ')}`;
    case 'create-environment': {
      const options = step.createEnvironment!;
      return `copies ${root}/${options.from} to a sibling ${options.name} and renames the environment in it`;
    }
    case 'validate':
      return 'verifies references and kustomize renders against the baseline';
    case 'docs': {
      const folders = plan.layout.filter((folder) => folder.path !== '.' && !folder.path.includes('/'));
      return `writes README.md in ${folders.length} top-level folders and ${root}/${MIGRATION_MAP_PATH}`;
    }
    case 'cleanup':
      return `removes empty folders below ${root}`;
  }
}
