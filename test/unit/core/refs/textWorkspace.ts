import type { EntryType, WorkspaceView } from '../../../../src/core/types';

/** An in-memory WorkspaceView over a list of file paths; every folder above a file exists too. */
export function workspaceOf(...files: string[]): WorkspaceView {
  const entries = new Map<string, EntryType>([['', 'directory']]);
  for (const file of files) {
    entries.set(file, 'file');
    const parts = file.split('/');
    for (let i = 1; i < parts.length; i++) entries.set(parts.slice(0, i).join('/'), 'directory');
  }
  return { stat: (path) => entries.get(path) };
}
