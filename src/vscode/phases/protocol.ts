/**
 * The messages between the phase progress panel (media/phases.js, in the webview) and the extension
 * (progressPanel.ts). media/phases.js mirrors these shapes by hand (it is plain JavaScript); change both together.
 *
 * Extension → webview: `{ type: 'model', model: PanelModel }`, sent whenever anything shown changes (a step ran,
 * files moved, problems changed). The webview keeps the last model with `vscode.setState` so that it draws at once
 * after a reload, before the extension answers its `ready`.
 *
 * Webview → extension: `FromWebview` below; the extension checks each one with `parseFromWebview` before acting.
 */
import type { StepAction } from '../../core/plan/types';
import type { StepStatus } from '../../core/phases/state';

/** The panel's webview type: `createWebviewPanel` and the `WebviewPanelSerializer` use it. */
export const PHASE_PANEL_VIEW_TYPE = 'relayout.phaseProgress';

export interface PanelStep {
  id: string;
  title: string;
  action: StepAction;
  description?: string;
  /** From `.relayout/state.json`. */
  status: StepStatus;
  /** Measured from the tree for move and create-environment steps, from the state for the rest. */
  complete: boolean;
  /** Files at their destination, for measured steps. */
  files?: { total: number; done: number };
  /** The last result, one sentence. */
  summary?: string;
  finishedAt?: string;
  /** Workspace-relative paths of the step's reports (Markdown ones open in the preview). */
  reports: string[];
  /** Entries this step put in the Problems panel ("Relayout phases"), in this window. */
  problems: number;
}

export interface PanelPhase {
  id: string;
  title: string;
  description?: string;
  /** Files of the phase's move steps at their destination, from the workspace model's progress. */
  files: { total: number; done: number };
  /** Validate steps of the phase: how many, and how many passed. */
  validations: { total: number; passed: number };
  steps: PanelStep[];
}

export type PanelModel =
  /** Nothing to show: no plan, a plan with errors, or a state file that cannot be read; `message` says which. */
  | { kind: 'no-plan'; message: string }
  | {
      kind: 'plan';
      /** The plan file, workspace-relative. */
      plan: string;
      title?: string;
      phases: PanelPhase[];
      /** The first step not complete. */
      next?: { phase: string; step: string };
      /** The step Roll Back Last Step would undo. */
      lastStep?: { id: string; title: string };
      /** A run in progress: its step and what it is doing. */
      running?: { step?: string; message: string };
      /** False in an untrusted workspace: running and rolling back are disabled. */
      canWrite: boolean;
    };

export type ToWebview = { type: 'model'; model: PanelModel };

export type FromWebview =
  /** The webview's script has loaded and wants the current model. */
  | { type: 'ready' }
  | { type: 'runStep'; step: string }
  | { type: 'runPhase'; phase: string }
  | { type: 'runNext' }
  | { type: 'rollBack' }
  | { type: 'verify' }
  | { type: 'openReport'; path: string }
  | { type: 'showProblems' };

/** What the webview keeps across reloads (`vscode.getState` / `setState`). */
export interface WebviewState {
  model?: PanelModel;
  /** Phases the user folded. */
  collapsed?: string[];
}

/** The message, when `value` is a well-formed `FromWebview`; undefined otherwise (a webview is not trusted input). */
export function parseFromWebview(value: unknown): FromWebview | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const message = value as Record<string, unknown>;
  switch (message.type) {
    case 'ready':
    case 'runNext':
    case 'rollBack':
    case 'verify':
    case 'showProblems':
      return { type: message.type };
    case 'runStep':
      return typeof message.step === 'string' ? { type: 'runStep', step: message.step } : undefined;
    case 'runPhase':
      return typeof message.phase === 'string' ? { type: 'runPhase', phase: message.phase } : undefined;
    case 'openReport':
      return typeof message.path === 'string' ? { type: 'openReport', path: message.path } : undefined;
    default:
      return undefined;
  }
}
