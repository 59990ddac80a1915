/**
 * The plan (`relayout.yaml`) as the engine reads it: plain data, every entry with its position in the plan file so
 * that problems found later (compiling rules against a tree) can point at the line that caused them.
 * Paths are relative to the plan's `root` unless a field says otherwise.
 */

/** 1-based position of an entry in the plan file. */
export interface PlanPosition {
  line: number;
  column: number;
}

export const STEP_ACTIONS = [
  'inventory',
  'dependency-map',
  'impact',
  'backup',
  'move',
  'create-environment',
  'validate',
  'docs',
  'cleanup',
] as const;

/** What a step does when it is carried out; each is built into Relayout. */
export type StepAction = (typeof STEP_ACTIONS)[number];

/** One folder of the proposed layout. */
export interface LayoutFolder {
  /** Root-relative folder path; `.` is the root itself. */
  path: string;
  description?: string;
  /** File names the proposal expects directly in this folder. */
  expect: string[];
  position: PlanPosition;
}

/** An ordered move rule: the first rule whose `from` matches a file decides where it goes. */
export interface MoveRule {
  /** Given in the file, or `rule-N` (N counted from 1 in file order) when omitted. */
  id: string;
  from: string;
  to: string;
  exclude: string[];
  note?: string;
  position: PlanPosition;
}

/** Files that stay where they are on purpose. */
export interface KeepEntry {
  /** A glob (root-relative). */
  path: string;
  reason: string;
  position: PlanPosition;
}

/** Options of a `create-environment` step: copy the environment folder `from` to a sibling folder named `name`. */
export interface CreateEnvironmentOptions {
  from: string;
  name: string;
}

export interface PlanStep {
  id: string;
  title: string;
  action: StepAction;
  description?: string;
  /** Rule ids a `move` step applies, in plan order of the step. */
  rules: string[];
  /** Present exactly when `action` is `create-environment`. */
  createEnvironment?: CreateEnvironmentOptions;
  position: PlanPosition;
}

export interface PlanPhase {
  id: string;
  title: string;
  description?: string;
  steps: PlanStep[];
  position: PlanPosition;
}

export interface Plan {
  /** The plan file's workspace-relative path (used in problems). */
  file: string;
  version: 1;
  title?: string;
  /** The Markdown proposal the plan implements (workspace-relative). */
  proposal?: string;
  /** Workspace-relative folder the plan restructures; `''` is the workspace root. */
  root: string;
  exclude: string[];
  layout: LayoutFolder[];
  rules: MoveRule[];
  keep: KeepEntry[];
  phases: PlanPhase[];
}
