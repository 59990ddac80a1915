/**
 * The phase state: `.relayout/state.json`, what each plan step last did, meant to be committed so that a team shares
 * its progress. It is written with a fixed key order (steps in plan order, fields in a fixed order) so that a diff
 * of it reads like a change log. What a step needs to be undone (the paths it wrote, their contents before) is kept
 * beside it in `.relayout/steps/<step>.json`, which is local bookkeeping, like the apply journals.
 *
 * Progress of move steps is never read from here: it is measured from the tree (`describeProgress`).
 */
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { RELAYOUT_FOLDER, writeJsonAtomically } from '../apply/journal';
import type { Plan, StepAction } from '../plan/types';
import type { ReviewItem } from '../types';

export const STATE_FILE = `${RELAYOUT_FOLDER}/state.json`;
export const STEP_RECORDS_FOLDER = `${RELAYOUT_FOLDER}/steps`;
export const REPORTS_FOLDER = `${RELAYOUT_FOLDER}/reports`;

export type StepStatus = 'not-started' | 'running' | 'done' | 'failed' | 'skipped';

export interface StepState {
  phase: string;
  action: StepAction;
  status: StepStatus;
  startedAt?: string;
  finishedAt?: string;
  /** One sentence: what the step did or why it failed. */
  summary?: string;
  /** Workspace-relative paths of the reports and documents the step wrote. */
  reports: string[];
}

export interface PhaseState {
  version: 1;
  /** The plan file the state belongs to (workspace-relative). */
  plan: string;
  /** By step id. */
  steps: Record<string, StepState>;
}

/**
 * What a step changed, so that it can be undone: the paths it wrote with what it left there (a fingerprint, see
 * `fingerprint`) and, for files it changed rather than created, their bytes before (base64).
 */
export interface StepRecord {
  step: string;
  action: StepAction;
  finishedAt: string;
  /** Path → fingerprint the step left there (`missing` for a path it removed). */
  touched: Record<string, string>;
  /** Files the step created (removed on undo). */
  created: string[];
  /** Files the step changed: their bytes before (restored on undo). */
  changed: { path: string; original: string }[];
  /** Empty folders the step removed (made again on undo). */
  removedFolders: string[];
  /** The completed apply of a move step, by its start time (the journal in the history). */
  applyStartedAt?: string;
  /** Where a backup step put the backup. */
  backup?: BackupRecord;
  /** The needs-review items a move step reported, each at its file's path after the step. */
  review?: ReviewItem[];
}

export type BackupRecord =
  | { kind: 'git'; ref: string; commit: string; top: string }
  | { kind: 'snapshot'; id: string; folder: string };

/** The state in `rootAbs`, or an empty one for `planFile` when there is none. */
export function readState(rootAbs: string, planFile: string): PhaseState {
  const file = nodePath.join(rootAbs, STATE_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, plan: planFile, steps: {} };
    throw error;
  }
  const value = JSON.parse(text) as PhaseState;
  if (value.version !== 1 || typeof value.steps !== 'object' || value.steps === null) {
    throw new Error(`${STATE_FILE} is not a Relayout state file (version ${JSON.stringify(value.version)})`);
  }
  return value;
}

/** Writes the state atomically with steps in plan order (steps the plan no longer has follow, by id). */
export function writeState(rootAbs: string, state: PhaseState, plan: Plan): void {
  const planOrder = plan.phases.flatMap((phase) => phase.steps.map((step) => step.id));
  const others = Object.keys(state.steps).filter((id) => !planOrder.includes(id)).sort();
  const steps: Record<string, StepState> = {};
  for (const id of [...planOrder, ...others]) {
    const step = state.steps[id];
    if (step === undefined) continue;
    steps[id] = orderedStep(step);
  }
  const file = nodePath.join(rootAbs, STATE_FILE);
  fs.mkdirSync(nodePath.dirname(file), { recursive: true });
  // Two-space indent and a final newline: the file is committed and read in diffs.
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify({ version: 1, plan: state.plan, steps }, null, 2) + '\n');
  fs.renameSync(temporary, file);
}

/** The fields in their fixed order; absent times and summary are left out rather than written as null. */
function orderedStep(step: StepState): StepState {
  return {
    phase: step.phase,
    action: step.action,
    status: step.status,
    ...(step.startedAt !== undefined ? { startedAt: step.startedAt } : {}),
    ...(step.finishedAt !== undefined ? { finishedAt: step.finishedAt } : {}),
    ...(step.summary !== undefined ? { summary: step.summary } : {}),
    reports: [...step.reports],
  };
}

export function readStepRecord(rootAbs: string, step: string): StepRecord | undefined {
  try {
    return JSON.parse(fs.readFileSync(stepRecordPath(rootAbs, step), 'utf8')) as StepRecord;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export function writeStepRecord(rootAbs: string, record: StepRecord): void {
  const file = stepRecordPath(rootAbs, record.step);
  fs.mkdirSync(nodePath.dirname(file), { recursive: true });
  writeJsonAtomically(file, record);
}

export function removeStepRecord(rootAbs: string, step: string): void {
  fs.rmSync(stepRecordPath(rootAbs, step), { force: true });
}

function stepRecordPath(rootAbs: string, step: string): string {
  return nodePath.join(rootAbs, STEP_RECORDS_FOLDER, `${step}.json`);
}
