/**
 * What plan steps would do, without writing anything. The steps are carried out one after the other on an in-memory
 * copy of the tree, as `apply` carries them out on disk: each move step is planned against the tree the steps before
 * it leave (so its edits, created kustomizations and review items are the ones its apply will have), and a
 * create-environment step adds its copy for the steps after it.
 */
import { applyEditsToText, planMoves } from '../moves/plan';
import { join } from '../paths';
import { compilePlan, describeProgress } from '../plan/compile';
import type { Plan, PlanPhase, PlanStep, StepAction } from '../plan/types';
import { MemoryFileSource, type MemoryEntry } from '../inventory/source';
import { ReferenceIndex } from '../refs/index';
import type { FileSource, MovePlan, Problem } from '../types';
import { MIGRATION_MAP_PATH } from './docs';
import { environmentCopy } from './environment';
import { attributeImpact, type MoveImpact } from './reports';

export interface StepPreview extends MoveImpact {
  phase: string;
  id: string;
  title: string;
  action: StepAction;
  /** What the step does, in one sentence. */
  does: string;
}

export interface PhasePreview {
  id: string;
  title: string;
  steps: StepPreview[];
}

export interface PlanPreview {
  phases: PhasePreview[];
  /** Compile problems of the plan against the tree as each move step finds it (errors block an apply). */
  problems: Problem[];
  conflicts: number;
  reviewItems: number;
}

/** Binary files only need to exist for a preview: a NUL byte makes them read as binary, as on disk. */
const BINARY_PLACEHOLDER = new Uint8Array([0]);

export function previewSteps(plan: Plan, source: FileSource, steps: readonly { phase: PlanPhase; step: PlanStep }[]): PlanPreview {
  let tree = snapshotTree(source);
  const phases: PhasePreview[] = [];
  const problems = new Map<string, Problem>();
  for (const { phase, step } of steps) {
    let entry = phases.find((candidate) => candidate.id === phase.id);
    if (!entry) phases.push((entry = { id: phase.id, title: phase.title, steps: [] }));
    const preview: StepPreview = {
      phase: phase.id,
      id: step.id,
      title: step.title,
      action: step.action,
      does: describeAction(plan, step),
      moves: [],
      files: 0,
      edits: [],
      creates: [],
      conflicts: [],
      review: [],
    };
    entry.steps.push(preview);
    const memory = new MemoryFileSource(Object.fromEntries(tree));
    if (step.action === 'move') {
      const compiled = compilePlan(plan, memory.listFiles(), { rules: step.rules });
      for (const problem of compiled.problems) problems.set(`${problem.line}:${problem.column}:${problem.message}`, problem);
      if (compiled.moves.length === 0) continue;
      const graph = ReferenceIndex.build(memory);
      const movePlan = planMoves(compiled.moves.map(({ from, to }) => ({ from, to })), graph, memory);
      const impact = attributeImpact(compiled.moves, new Map(step.rules.map((rule) => [rule, step.id])), movePlan, graph);
      // The whole batch is this step's: what the split cannot pin on a rule is still its effect.
      const own = [...impact.steps, impact.unattributed];
      preview.moves = compiled.moves;
      preview.files = compiled.moves.reduce((sum, move) => sum + move.files, 0);
      preview.edits = mergeEditCounts(own.flatMap((part) => part.edits));
      preview.creates = movePlan.creates;
      preview.conflicts = movePlan.conflicts;
      preview.review = movePlan.review;
      // An apply stops at a conflict; the steps after it are previewed on the tree without it.
      if (movePlan.conflicts.length === 0) tree = applied(tree, movePlan);
    } else if (step.action === 'create-environment' && step.createEnvironment) {
      const options = step.createEnvironment;
      const progress = describeProgress(plan, memory.listFiles()).steps.find((entry) => entry.step === step.id);
      if (progress !== undefined && progress.done === progress.total) {
        preview.does += ' (done already: the environment exists)';
        continue;
      }
      try {
        const copy = environmentCopy(memory, join(plan.root, options.from), options.name);
        tree = new Map(tree);
        for (const file of copy.files) tree.set(file.to, file.text ?? tree.get(file.from)!);
      } catch (error) {
        preview.does += ` (it would fail: ${(error as Error).message})`;
      }
    }
  }
  const all = phases.flatMap((phase) => phase.steps);
  return {
    phases,
    problems: [...problems.values()],
    conflicts: all.reduce((sum, step) => sum + step.conflicts.length, 0),
    reviewItems: all.reduce((sum, step) => sum + step.review.length, 0),
  };
}

/** Every listed file of `source` as an in-memory entry. */
function snapshotTree(source: FileSource): Map<string, MemoryEntry> {
  const tree = new Map<string, MemoryEntry>();
  for (const path of source.listFiles()) {
    const link = source.stat(path) === 'symlink' ? source.readSymlink(path) : undefined;
    if (link) {
      tree.set(path, { symlink: link.linkText });
      continue;
    }
    const read = source.readText(path);
    tree.set(path, read.ok ? read.text : BINARY_PLACEHOLDER);
  }
  return tree;
}

/** The tree after a move plan: edits on the files as they were, then renames, created files and re-pointed links. */
function applied(tree: ReadonlyMap<string, MemoryEntry>, plan: MovePlan): Map<string, MemoryEntry> {
  const next = new Map(tree);
  const byFile = new Map<string, MovePlan['edits']>();
  for (const edit of plan.edits) byFile.set(edit.file, [...(byFile.get(edit.file) ?? []), edit]);
  for (const [file, edits] of byFile) {
    const text = next.get(file);
    if (typeof text === 'string') next.set(file, applyEditsToText(text, edits));
  }
  const moved = plan.renames.map((rename) => ({ to: rename.to, entry: next.get(rename.from) }));
  for (const rename of plan.renames) next.delete(rename.from);
  for (const { to, entry } of moved) if (entry !== undefined) next.set(to, entry);
  for (const create of plan.creates) next.set(create.path, create.content);
  for (const relink of plan.relinks) next.set(relink.path, { symlink: relink.linkText });
  return next;
}

function mergeEditCounts(counts: readonly { file: string; count: number }[]): { file: string; count: number }[] {
  const merged = new Map<string, number>();
  for (const { file, count } of counts) merged.set(file, (merged.get(file) ?? 0) + count);
  return [...merged].map(([file, count]) => ({ file, count })).sort((a, b) => (a.file < b.file ? -1 : 1));
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
