/**
 * The phase runner: carries out plan steps in order with their state in `.relayout/state.json`, undoes the last step,
 * and tells where the migration stands (move progress from the tree, the rest from the state). It returns plain data
 * and reports progress through a callback, so that the CLI and the editor's phase runner and panel share it.
 */
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { applyPlan, pendingJournal, rollback, type ApplyResult } from '../apply/apply';
import { appliesInEffect, composeRenames, markAppliesRestored, withBuildRootMoves } from '../apply/history';
import { fingerprint, readJournalFile } from '../apply/journal';
import { buildInventory } from '../inventory/inventory';
import { DiskFileSource } from '../inventory/source';
import { planMoves } from '../moves/plan';
import { isInside, join, movePath } from '../paths';
import { sourceBelow } from '../inventory/source';
import { compilePlan, describeProgress } from '../plan/compile';
import { excludePatterns } from '../plan/exclude';
import { formatProblem } from '../plan/load';
import type { Plan, PlanPhase, PlanStep, StepAction } from '../plan/types';
import { ReferenceIndex } from '../refs/index';
import type { FileSource, MovePlan, ReviewItem } from '../types';
import type { BrokenReference } from '../verify/broken';
import { captureBaseline, DEFAULT_BASELINE_PATH, readBaseline } from '../verify/baseline';
import type { KustomizeTool } from '../verify/kustomizeTool';
import { verify } from '../verify/verify';
import { differencesFromBackup, makeBackup, restoreFromBackup } from './backup';
import { StepChanges, changedSince, undoRecord } from './changes';
import { emptyFolders } from './cleanup';
import { folderReadmes, migrationMap, placeBlock } from './docs';
import { createEnvironment } from './environment';
import { attributeImpact, buildDependencyMap, dependencyMapReport, impactReport, inventoryReport, type Impact } from './reports';
import {
  readState,
  readStepRecord,
  removeStepRecord,
  REPORTS_FOLDER,
  writeState,
  writeStepRecord,
  type PhaseState,
  type StepRecord,
  type StepState,
  type StepStatus,
} from './state';
import { previewSteps, type StepPreview } from './preview';
import { validationReport } from './validation';

export interface PhaseRunOptions {
  /** The kustomize implementation for baselines, validation and the new environment's render; none skips rendering. */
  tool?: KustomizeTool;
  /** Told what is happening, step by step. */
  onProgress?: (event: StepProgressEvent) => void;
  /** Asked between steps and before a step writes; true stops the run, leaving the current step undone. */
  isCancelled?: () => boolean;
  /** The clock (tests fix it). */
  now?: () => Date;
  /**
   * Carries out a move step's planned batch instead of the engine's journaled apply (the editor applies it as one
   * WorkspaceEdit). It must leave either the whole applied part recorded as a completed journal (the result's
   * `journal`, which the step's rollback undoes) or nothing changed. The rest of the step (baseline, impact report,
   * state, record) stays the engine's.
   */
  applyMoves?: (batch: MoveBatch) => Promise<MovesApplied>;
}

/** A move step's batch, planned against `source` (the tree on disk), handed to `PhaseRunOptions.applyMoves`. */
export interface MoveBatch {
  phase: string;
  step: string;
  plan: MovePlan;
  source: FileSource;
}

/** `not-applied`: nothing was changed (the user discarded the preview, the editor refused the edit), and why. */
export type MovesApplied = { status: 'applied'; result: ApplyResult } | { status: 'not-applied'; reason: string };

export interface StepProgressEvent {
  phase: string;
  step: string;
  message: string;
}

export type StepOutcomeStatus = 'done' | 'failed' | 'skipped' | 'cancelled';

export interface StepOutcome {
  phase: string;
  step: string;
  action: StepAction;
  status: StepOutcomeStatus;
  summary: string;
  reports: string[];
  /** The step's own data (impact, validation, created environment, …) for a caller that shows more than the summary. */
  data?: unknown;
}

export interface RunResult {
  outcomes: StepOutcome[];
  /** True when no step failed and the run was not cancelled. */
  ok: boolean;
}

/** A step cancelled part-way: what it wrote is undone and it counts as not run. */
class StepCancelled extends Error {}

interface ActionContext {
  rootAbs: string;
  plan: Plan;
  phase: PlanPhase;
  step: PlanStep;
  changes: StepChanges;
  options: PhaseRunOptions;
  source: DiskFileSource;
  /** Throws `StepCancelled` when the caller asked to stop. */
  checkpoint(): void;
  progress(message: string): void;
}

interface ActionResult {
  summary: string;
  reports: string[];
  failed?: boolean;
  data?: unknown;
  /** Extra record fields (the apply of a move, the backup). */
  record?: Partial<Pick<StepRecord, 'applyStartedAt' | 'backup' | 'touched' | 'review'>>;
}

/**
 * Runs `steps` (from `selectSteps`) in order. A step that is complete already (a move step whose files are all at
 * their destination, any other step whose state is done) is skipped unless `rerun`. The run stops at the first step
 * that fails or is cancelled; each step leaves either its whole effect or none.
 */
export async function runSteps(
  rootAbs: string,
  plan: Plan,
  steps: readonly { phase: PlanPhase; step: PlanStep }[],
  options: PhaseRunOptions & { rerun?: boolean } = {},
): Promise<RunResult> {
  if (pendingJournal(rootAbs)) throw new Error('An interrupted apply is pending; run recover first.');
  const outcomes: StepOutcome[] = [];
  for (const { phase, step } of steps) {
    if (options.isCancelled?.()) {
      outcomes.push({ phase: phase.id, step: step.id, action: step.action, status: 'cancelled', summary: 'not run: cancelled', reports: [] });
      return { outcomes, ok: false };
    }
    if (!options.rerun && stepComplete(rootAbs, plan, step)) {
      outcomes.push({ phase: phase.id, step: step.id, action: step.action, status: 'skipped', summary: 'already done', reports: [] });
      continue;
    }
    const outcome = await runStep(rootAbs, plan, phase, step, options);
    outcomes.push(outcome);
    if (outcome.status === 'failed' || outcome.status === 'cancelled') return { outcomes, ok: false };
  }
  return { outcomes, ok: true };
}

/** Runs one step and records it in the state. */
export async function runStep(rootAbs: string, plan: Plan, phase: PlanPhase, step: PlanStep, options: PhaseRunOptions = {}): Promise<StepOutcome> {
  const now = (): string => (options.now?.() ?? new Date()).toISOString();
  const state = readState(rootAbs, plan.file);
  const before = state.steps[step.id];
  const startedAt = now();
  state.steps[step.id] = { phase: phase.id, action: step.action, status: 'running', startedAt, reports: [] };
  writeState(rootAbs, state, plan);
  const changes = new StepChanges(rootAbs);
  const context: ActionContext = {
    rootAbs,
    plan,
    phase,
    step,
    changes,
    options,
    source: new DiskFileSource(rootAbs, { exclude: excludePatterns(plan) }),
    checkpoint: () => {
      if (options.isCancelled?.()) throw new StepCancelled('cancelled');
    },
    progress: (message) => options.onProgress?.({ phase: phase.id, step: step.id, message }),
  };
  const outcome = (status: StepOutcomeStatus, summary: string, reports: string[], data?: unknown): StepOutcome => ({
    phase: phase.id,
    step: step.id,
    action: step.action,
    status,
    summary,
    reports,
    ...(data !== undefined ? { data } : {}),
  });
  let result: ActionResult;
  try {
    context.progress(`${step.title}…`);
    result = await ACTIONS[step.action](context);
  } catch (error) {
    changes.undo();
    const cancelled = error instanceof StepCancelled;
    const fresh = readState(rootAbs, plan.file);
    if (cancelled) {
      if (before) fresh.steps[step.id] = before;
      else delete fresh.steps[step.id];
    } else {
      fresh.steps[step.id] = { phase: phase.id, action: step.action, status: 'failed', startedAt, finishedAt: now(), summary: (error as Error).message, reports: [] };
    }
    writeState(rootAbs, fresh, plan);
    return outcome(cancelled ? 'cancelled' : 'failed', cancelled ? `${(error as Error).message}; nothing of it was kept` : (error as Error).message, []);
  }
  const finishedAt = now();
  const record: StepRecord = { step: step.id, action: step.action, finishedAt, ...changes.record(), ...result.record };
  record.touched = { ...changes.record().touched, ...result.record?.touched };
  writeStepRecord(rootAbs, record);
  const status: StepStatus = result.failed ? 'failed' : 'done';
  const fresh = readState(rootAbs, plan.file);
  fresh.steps[step.id] = { phase: phase.id, action: step.action, status, startedAt, finishedAt, summary: result.summary, reports: result.reports };
  writeState(rootAbs, fresh, plan);
  return outcome(status, result.summary, result.reports, result.data);
}

type Action = (context: ActionContext) => Promise<ActionResult>;

const ACTIONS: Record<StepAction, Action> = {
  inventory: async ({ plan, source, changes }) => {
    const inventory = buildInventory(sourceBelow(source, plan.root));
    const report = reportPath('inventory');
    changes.write(report, inventoryReport(inventory, plan.root));
    const folders = inventory.folders.filter((folder) => folder.folder !== '' && isInside(folder.folder, plan.root)).length;
    return { summary: `${inventory.totalFiles} files in ${folders} folders, ${Object.keys(inventory.byKind).length} kinds`, reports: [report], data: inventory };
  },

  'dependency-map': async ({ plan, source, changes }) => {
    const map = buildDependencyMap(ReferenceIndex.build(source), plan.root);
    const report = reportPath('dependency-map');
    changes.write(report, dependencyMapReport(map, plan.root));
    return { summary: `${map.references} references; ${map.crossFolder.length} cross-folder links between ${map.folders.length} folders`, reports: [report], data: map };
  },

  impact: async ({ plan, source, changes, step }) => {
    const impact = assessImpact(plan, source, step.rules.length > 0 ? step.rules : undefined);
    const report = reportPath('impact');
    changes.write(report, impactReport(impact, step.rules.length > 0 ? `rules ${step.rules.join(', ')}` : 'every pending move of the plan'));
    const files = impact.steps.reduce((sum, s) => sum + s.files, 0);
    const conflicts = [...impact.steps, impact.unattributed].reduce((sum, s) => sum + s.conflicts.length, 0);
    const review = [...impact.steps, impact.unattributed].reduce((sum, s) => sum + s.review.length, 0);
    return {
      summary: `${files} files to move in ${impact.steps.length} steps; ${conflicts} conflicts, ${review} items need review, ${impact.loadRestrictor.length} load-restrictor fixes`,
      reports: [report],
      data: impact,
    };
  },

  backup: async ({ rootAbs, step, options, checkpoint, progress }) => {
    checkpoint();
    progress('capturing the verification baseline (broken references and kustomize renders)');
    const source = new DiskFileSource(rootAbs);
    const baseline = await captureBaseline(rootAbs, source, ReferenceIndex.build(source), { tool: options.tool });
    checkpoint();
    const stamp = (options.now?.() ?? new Date()).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    const backup = makeBackup(rootAbs, step.id, stamp);
    const where = backup.kind === 'git' ? `git tag ${backup.ref} (${backup.commit.slice(0, 12)})` : `snapshot ${backup.folder}`;
    const renders = baseline.renders.status === 'rendered' ? `${baseline.renders.roots.length} kustomization roots rendered` : `renders skipped: ${baseline.renders.reason}`;
    return { summary: `backup: ${where}; baseline ${DEFAULT_BASELINE_PATH} (${renders})`, reports: [DEFAULT_BASELINE_PATH], record: { backup } };
  },

  move: async ({ rootAbs, plan, phase, step, source, changes, options, checkpoint, progress }) => {
    const compiled = compilePlan(plan, source.listFiles(), { rules: step.rules });
    const errors = compiled.problems.filter((problem) => problem.severity === 'error');
    if (errors.length > 0) throw new Error(`the plan cannot be carried out: ${errors.map(formatProblem).join('; ')}`);
    if (compiled.moves.length === 0) return { summary: 'nothing to move: every file of its rules is at its destination', reports: [] };
    const graph = ReferenceIndex.build(source);
    const movePlan = planMoves(compiled.moves.map(({ from, to }) => ({ from, to })), graph, source);
    if (movePlan.conflicts.length > 0) {
      throw new Error(`${movePlan.conflicts.length} conflict(s), nothing written: ${movePlan.conflicts.map((c) => `${c.path}: ${c.reason}`).join('; ')}`);
    }
    checkpoint();
    if (!fs.existsSync(nodePath.join(rootAbs, DEFAULT_BASELINE_PATH))) {
      progress('no baseline yet: capturing one before the first move');
      await captureBaseline(rootAbs, source, graph, { tool: options.tool });
      // Taken for this move: a step that does not happen takes its baseline with it, as a rollback does.
      changes.adopt(DEFAULT_BASELINE_PATH);
    }
    const impact = attributeImpact(compiled.moves, new Map(step.rules.map((rule) => [rule, step.id])), movePlan, graph);
    const report = reportPath(step.id);
    changes.write(report, impactReport(impact, `step ${step.id}`));
    checkpoint();
    progress(`moving ${movePlan.renames.length} files`);
    let applied: ApplyResult;
    if (options.applyMoves) {
      const outcome = await options.applyMoves({ phase: phase.id, step: step.id, plan: movePlan, source });
      if (outcome.status === 'not-applied') throw new StepCancelled(outcome.reason);
      applied = outcome.result;
    } else {
      applied = applyPlan(movePlan, rootAbs, source);
    }
    const journal = applied.journal ? readJournalFile(nodePath.join(rootAbs, applied.journal)) : undefined;
    const touched: Record<string, string> = {};
    const movedTo = new Map(movePlan.renames.map((rename) => [rename.from, rename.to]));
    if (journal) {
      for (const rename of journal.renames) touched[rename.from] = 'missing';
      Object.assign(touched, journal.expectedAfter);
    }
    const files = compiled.moves.reduce((sum, move) => sum + move.files, 0);
    return {
      summary:
        `moved ${files} files (${compiled.moves.length} moves), edited ${applied.edited} files, created ${applied.created}; ` +
        `${movePlan.review.length} items need review`,
      reports: [report],
      data: { moves: compiled.moves, review: movePlan.review, creates: movePlan.creates },
      record: { applyStartedAt: journal?.startedAt, touched, review: movePlan.review.map((item) => ({ ...item, file: movedTo.get(item.file) ?? item.file })) },
    };
  },

  'create-environment': async ({ rootAbs, plan, step, source, changes, options, progress }) => {
    const settings = step.createEnvironment!;
    const from = join(plan.root, settings.from);
    progress(`copying ${from} to ${settings.name}`);
    const created = await createEnvironment(rootAbs, source, from, settings.name, changes, options.tool);
    const report = reportPath(step.id);
    const lines = [`# Environment ${settings.name}`, '', `Copied from ${created.from} to ${created.to}: ${created.files.length} files.`, ''];
    lines.push(created.renderedObjects !== undefined ? `Renders with kustomize: ${created.renderedObjects} objects.` : 'Not rendered: no kustomize available.', '');
    lines.push('Values renamed for the new environment:', '');
    for (const edit of created.edits) lines.push(`- ${edit.file}:${edit.line}: ${JSON.stringify(edit.oldText)} → ${JSON.stringify(edit.newText)}`);
    changes.write(report, lines.join('\n') + '\n');
    const rendered = created.renderedObjects !== undefined ? `; renders ${created.renderedObjects} objects` : '; not rendered (no kustomize)';
    return { summary: `created ${created.to} from ${created.from}: ${created.files.length} files, ${created.edits.length} values renamed${rendered}`, reports: [report, ...created.files], data: created };
  },

  validate: async ({ rootAbs, plan, step, changes, options, progress }) => {
    const baselineFile = nodePath.join(rootAbs, DEFAULT_BASELINE_PATH);
    const baseline = fs.existsSync(baselineFile) ? await readBaseline(baselineFile) : undefined;
    const renames = withBuildRootMoves(composeRenames(appliesInEffect(rootAbs, baseline?.createdAt)));
    progress(options.tool ? `verifying references and rendering with ${options.tool.executable}` : 'verifying references (no kustomize: renders skipped)');
    const current = new DiskFileSource(rootAbs);
    const report = await verify(rootAbs, current, ReferenceIndex.build(current), baseline, renames, { tool: options.tool });
    const reported = reportedReview(rootAbs, plan, baseline?.createdAt);
    // A reported folder that no longer exists (a `cd` into it, a Makefile variable naming it) leaves the paths written
    // after it in that file without a base: they are part of what the report asks a person to fix.
    const leavesBaseless = (item: ReviewItem, ref: BrokenReference): boolean =>
      item.line <= ref.line && item.target !== undefined && current.stat(item.target) === undefined;
    const isReported = (ref: BrokenReference): boolean =>
      reported.some(
        (item) =>
          item.file === ref.from &&
          (item.line === ref.line || item.text.includes(ref.text) || ref.text.includes(item.text) || leavesBaseless(item, ref)),
      );
    const unreported = [...report.references.introduced, ...report.references.lost].filter((ref) => !isReported(ref));
    const rendersPassed = report.renders.status === 'skipped' || report.renders.passed;
    const passed = unreported.length === 0 && rendersPassed;
    const path = reportPath(step.id);
    changes.write(path, validationReport(report, isReported));
    const refs = report.references;
    const toReview = refs.introduced.length + refs.lost.length - unreported.length;
    const roots = report.renders.status === 'compared' ? report.renders.roots : [];
    const counts = new Map<string, number>();
    for (const root of roots) counts.set(root.status, (counts.get(root.status) ?? 0) + 1);
    const failing = roots.filter((root) => root.status === 'changed' || root.status === 'failed' || root.status === 'root-gone');
    const named = failing.length > 0 ? ` (${failing.map((root) => `${root.dir} ${root.status}`).join(', ')})` : '';
    const renders =
      report.renders.status === 'skipped' ? `renders skipped (${report.renders.reason})` : [...counts].map(([status, n]) => `${n} ${status}`).join(', ') + named;
    const review = toReview > 0 ? ` (${toReview} of them reported as needs-review by the move steps: fix them by hand)` : '';
    return {
      summary:
        `${passed ? 'passed' : 'FAILED'}: ${refs.introduced.length} newly broken and ${refs.lost.length} stale references${review}, ` +
        `${unreported.length} unreported; renders: ${renders}`,
      reports: [path],
      failed: !passed,
      data: { ...report, unreported },
    };
  },

  docs: async ({ rootAbs, plan, source, changes }) => {
    const pendingTargets = pendingDestinations(plan, source);
    const written: string[] = [];
    const waiting: string[] = [];
    for (const document of folderReadmes(plan)) {
      // A README a move will bring here must find its place free; this one is written after that move.
      if (pendingTargets.has(document.path)) {
        waiting.push(document.path);
        continue;
      }
      writeBlock(rootAbs, changes, document.path, document.block);
      written.push(document.path);
    }
    const map = migrationMap(plan, composeRenames(appliesInEffect(rootAbs)));
    writeBlock(rootAbs, changes, map.path, map.block);
    written.push(map.path);
    const later = waiting.length > 0 ? `; ${waiting.length} left for after the moves that bring a README there (${waiting.join(', ')})` : '';
    return { summary: `wrote ${written.length} documents${later}`, reports: written };
  },

  cleanup: async ({ rootAbs, plan, changes }) => {
    const folders = emptyFolders(rootAbs, plan.root);
    for (const folder of folders) changes.removeEmptyFolder(folder);
    return { summary: folders.length > 0 ? `removed ${folders.length} empty folders: ${folders.join(', ')}` : 'no empty folder to remove', reports: [] };
  },
};

/**
 * The impact of the pending moves of the steps that apply `rules` (every move step when undefined), each step planned
 * on the tree the steps before it leave, as `apply` will carry them out.
 */
export function assessImpact(plan: Plan, source: FileSource, rules?: string[]): Impact {
  const every = plan.phases.flatMap((phase) => phase.steps.map((step) => ({ phase, step })));
  const preview = previewSteps(plan, source, every);
  const wanted = (step: StepPreview): boolean => step.action === 'move' && (rules === undefined || step.moves.some((move) => rules.includes(move.rule)));
  const steps = preview.phases
    .flatMap((phase) => phase.steps)
    .filter(wanted)
    .map(({ id, moves, files, edits, creates, conflicts, review }) => ({ step: id, moves, files, edits, creates, conflicts, review }));
  const loadRestrictor = steps.flatMap((step) => [
    ...step.creates.filter((create) => /load restrictor/i.test(create.reason)).map((create) => ({ path: create.path, reason: create.reason })),
    ...step.conflicts.filter((conflict) => /load restrictor/i.test(conflict.reason)).map((conflict) => ({ path: conflict.path, reason: conflict.reason })),
  ]);
  return { steps, unattributed: { step: '', moves: [], files: 0, edits: [], creates: [], conflicts: [], review: [] }, loadRestrictor };
}

export interface StepView {
  phase: string;
  id: string;
  title: string;
  action: StepAction;
  /** From the state file. */
  status: StepStatus;
  /** Measured from the tree for move and create-environment steps; from the state for the rest. */
  complete: boolean;
  /** Files at their destination, for measured steps. */
  progress?: { total: number; done: number; pending: number };
  summary?: string;
  startedAt?: string;
  finishedAt?: string;
  reports: string[];
}

export interface PhaseView {
  id: string;
  title: string;
  steps: StepView[];
  /** Files of the phase's move steps: total, at their destination, still to move. */
  files: { total: number; done: number; pending: number };
  completeSteps: number;
}

export interface StatusReport {
  plan: string;
  phases: PhaseView[];
  /** The first step not complete. */
  next?: { phase: string; step: string };
  kept: number;
  unmatched: number;
}

/** Where the migration stands: per phase and step, the state and, for move steps, the files measured in the tree. */
export function describeStatus(rootAbs: string, plan: Plan): StatusReport {
  const source = new DiskFileSource(rootAbs, { exclude: excludePatterns(plan) });
  const progress = describeProgress(plan, source.listFiles());
  const state = readState(rootAbs, plan.file);
  const phases: PhaseView[] = plan.phases.map((phase) => {
    const steps = phase.steps.map((step): StepView => {
      const saved: StepState | undefined = state.steps[step.id];
      const measured = progress.steps.find((entry) => entry.step === step.id && entry.measured);
      const complete = measured ? measured.pending === 0 && (measured.total > 0 || saved?.status === 'done') : saved?.status === 'done';
      return {
        phase: phase.id,
        id: step.id,
        title: step.title,
        action: step.action,
        status: saved?.status ?? 'not-started',
        complete,
        ...(measured ? { progress: { total: measured.total, done: measured.done, pending: measured.pending } } : {}),
        ...(saved?.summary !== undefined ? { summary: saved.summary } : {}),
        ...(saved?.startedAt !== undefined ? { startedAt: saved.startedAt } : {}),
        ...(saved?.finishedAt !== undefined ? { finishedAt: saved.finishedAt } : {}),
        reports: saved?.reports ?? [],
      };
    });
    const files = progress.phases.find((entry) => entry.phase === phase.id)!;
    return { id: phase.id, title: phase.title, steps, files: { total: files.total, done: files.done, pending: files.pending }, completeSteps: steps.filter((s) => s.complete).length };
  });
  const next = phases.flatMap((phase) => phase.steps).find((step) => !step.complete);
  return { plan: plan.file, phases, ...(next ? { next: { phase: next.phase, step: next.id } } : {}), kept: progress.kept, unmatched: progress.unmatched };
}

function stepComplete(rootAbs: string, plan: Plan, step: PlanStep): boolean {
  if (step.action === 'move' || step.action === 'create-environment') {
    return describeStatus(rootAbs, plan).phases.flatMap((phase) => phase.steps).find((view) => view.id === step.id)!.complete;
  }
  return readState(rootAbs, plan.file).steps[step.id]?.status === 'done';
}

export interface RollbackOutcome {
  step: string;
  action: StepAction;
  summary: string;
}

/** The step whose record is newest: the one a rollback undoes. */
export function lastRecordedStep(rootAbs: string, plan: Plan): StepRecord | undefined {
  const state = readState(rootAbs, plan.file);
  const records = Object.entries(state.steps)
    .filter(([, saved]) => saved.status === 'done' || saved.status === 'failed')
    .map(([id]) => readStepRecord(rootAbs, id))
    .filter((record): record is StepRecord => record !== undefined);
  return records.sort((a, b) => (a.finishedAt < b.finishedAt ? -1 : a.finishedAt > b.finishedAt ? 1 : 0)).pop();
}

/**
 * Undoes the newest step (or `step`, which must be the newest or a backup step): a move through its journal, a backup
 * by restoring the tree to the backup (undoing every step since), anything else by removing what it created and
 * restoring what it changed. Refuses, changing nothing, when files it (or, for a backup, the steps since) wrote were changed since,
 * unless `force`.
 */
export function rollbackStep(rootAbs: string, plan: Plan, options: { step?: string; force?: boolean; now?: () => Date } = {}): RollbackOutcome {
  const newest = lastRecordedStep(rootAbs, plan);
  if (!newest) throw new Error('No step has run: there is nothing to roll back.');
  let last = newest;
  if (options.step !== undefined && options.step !== newest.step) {
    // A backup can be returned to from any later point: restoring it undoes every step since.
    const named = readStepRecord(rootAbs, options.step);
    if (named?.action !== 'backup' || named.backup === undefined) {
      throw new Error(`Step ${options.step} is not the last one run (${newest.step} is): roll back ${newest.step} first.`);
    }
    last = named;
  }
  const force = options.force === true;
  const state = readState(rootAbs, plan.file);
  const reset: string[] = [last.step];
  let summary: string;
  if (last.action === 'move' && last.applyStartedAt !== undefined) {
    const journal = appliesInEffect(rootAbs).find((entry) => entry.startedAt === last.applyStartedAt);
    if (!journal) throw new Error(`The apply of step ${last.step} (${last.applyStartedAt}) was already rolled back or restored away.`);
    const reportsOnly = { ...last, touched: Object.fromEntries(Object.entries(last.touched).filter(([path]) => last.created.includes(path) || last.changed.some((c) => c.path === path))) };
    const changedReports = changedSince(rootAbs, reportsOnly);
    if (changedReports.length > 0 && !force) throw new Error(`Cannot roll back ${last.step}: changed since: ${changedReports.join(', ')}.`);
    const undone = rollback(rootAbs, { journal, force });
    undoRecord(rootAbs, reportsOnly, true);
    summary = `moved ${journal.renames.length} files back and undid ${journal.files.length} edited files (${undone.undone} journal steps)`;
  } else if (last.action === 'backup' && last.backup !== undefined) {
    const since = state.steps[last.step]?.startedAt ?? last.finishedAt;
    const later = Object.entries(state.steps)
      .map(([id]) => readStepRecord(rootAbs, id))
      .filter((record): record is StepRecord => record !== undefined && record.finishedAt > last.finishedAt)
      .sort((a, b) => (a.finishedAt < b.finishedAt ? -1 : 1));
    const differences = differencesFromBackup(rootAbs, last.backup);
    const expected = new Map<string, string>();
    for (const record of later) for (const [path, print] of Object.entries(record.touched)) expected.set(path, print);
    const unexplained = differences.filter((path) => expected.get(path) !== fingerprint(nodePath.join(rootAbs, ...path.split('/'))));
    if (unexplained.length > 0 && !force) {
      throw new Error(
        `Cannot restore the backup of ${last.step}: these differ from it and no step since made them so: ${unexplained.slice(0, 10).join(', ')}` +
          `${unexplained.length > 10 ? ` and ${unexplained.length - 10} more` : ''}. Nothing was changed.`,
      );
    }
    restoreFromBackup(rootAbs, last.backup, differences);
    markAppliesRestored(rootAbs, since);
    for (const record of later) {
      // Their tree changes are gone with the restore; what they wrote under .relayout goes too.
      for (const path of record.created) if (path.startsWith('.relayout/')) fs.rmSync(nodePath.join(rootAbs, ...path.split('/')), { force: true });
      removeStepRecord(rootAbs, record.step);
      reset.push(record.step);
    }
    if (last.backup.kind === 'snapshot') fs.rmSync(nodePath.join(rootAbs, ...last.backup.folder.split('/')), { recursive: true, force: true });
    summary = `restored ${differences.length} paths from ${last.backup.kind === 'git' ? `git tag ${last.backup.ref}` : last.backup.folder}; undid ${later.length} later steps`;
  } else {
    try {
      undoRecord(rootAbs, last, force);
    } catch (error) {
      throw new Error(`Cannot roll back ${last.step}: ${(error as Error).message}. Nothing was changed.`);
    }
    summary = `removed ${last.created.length} files it created, restored ${last.changed.length}, made ${last.removedFolders.length} folders again`;
  }
  removeStepRecord(rootAbs, last.step);
  const at = (options.now?.() ?? new Date()).toISOString();
  const fresh: PhaseState = readState(rootAbs, plan.file);
  for (const id of reset) {
    const saved = fresh.steps[id];
    if (saved) fresh.steps[id] = { phase: saved.phase, action: saved.action, status: 'not-started', summary: `rolled back ${at}`, reports: [] };
  }
  writeState(rootAbs, fresh, plan);
  return { step: last.step, action: last.action, summary };
}

/**
 * The needs-review items the move steps reported since `since`, each at the path its file has now (later applies
 * may have moved it on).
 */
function reportedReview(rootAbs: string, plan: Plan, since: string | undefined): ReviewItem[] {
  const applies = appliesInEffect(rootAbs, since);
  const state = readState(rootAbs, plan.file);
  const items: ReviewItem[] = [];
  for (const id of Object.keys(state.steps)) {
    const record = readStepRecord(rootAbs, id);
    if (!record?.review || record.applyStartedAt === undefined || (since !== undefined && record.applyStartedAt < since)) continue;
    const later = applies.filter((journal) => journal.startedAt > record.applyStartedAt!);
    for (const item of record.review) {
      let file = item.file;
      for (const journal of later) file = journal.renames.find((rename) => rename.from === file)?.to ?? file;
      items.push({ ...item, file });
    }
  }
  return items;
}

/** Destinations (workspace paths) of files that pending moves will bring. */
function pendingDestinations(plan: Plan, source: FileSource): Set<string> {
  const files = source.listFiles();
  const targets = new Set<string>();
  for (const move of compilePlan(plan, files).moves) {
    if (!move.folder) targets.add(move.to);
    else for (const file of files) {
      const target = movePath(file, move.from, move.to);
      if (target !== undefined) targets.add(target);
    }
  }
  return targets;
}

function writeBlock(rootAbs: string, changes: StepChanges, path: string, block: string): void {
  const absolute = nodePath.join(rootAbs, ...path.split('/'));
  const existing = fs.existsSync(absolute) ? fs.readFileSync(absolute, 'utf8') : undefined;
  const text = placeBlock(existing, block);
  if (text !== existing) changes.write(path, text);
}

/** `.relayout/reports/<name>.md`: named after the analysis (inventory, impact, …) or the step it reports on. */
function reportPath(name: string): string {
  return `${REPORTS_FOLDER}/${name}.md`;
}
