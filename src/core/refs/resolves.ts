import type { Reference, WorkspaceView } from '../types';
import { dirname, escapesRoot } from '../paths';

/**
 * Whether a reference reaches what it names: its target exists in the workspace, or, for an `output` reference (a
 * file a command writes, which need not exist yet), the folder the file goes in does. A target outside the workspace
 * never resolves.
 */
export function referenceResolves(ref: Reference, workspace: WorkspaceView): boolean {
  if (escapesRoot(ref.target)) return false;
  if (workspace.stat(ref.target) !== undefined) return true;
  return ref.output === true && workspace.stat(dirname(ref.target)) === 'directory';
}
