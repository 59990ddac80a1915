/**
 * The cleanup action's search: folders below the plan's root that hold nothing at all (no file, no symlink, at any
 * depth), as moves leave them when files the scan does not list kept a folder alive or a person emptied one by hand.
 */
import * as fs from 'node:fs';
import * as nodePath from 'node:path';

/** Folders that are never workspace content: an empty one there is not ours to remove. */
const NOT_CONTENT = new Set(['.git', '.relayout', 'node_modules']);

/** Empty folders below `folder` (workspace-relative), deepest first, so they can be removed in order. */
export function emptyFolders(rootAbs: string, folder: string): string[] {
  const found: string[] = [];
  const visit = (path: string): boolean => {
    const absolute = nodePath.join(rootAbs, ...path.split('/').filter(Boolean));
    let empty = true;
    for (const entry of fs.readdirSync(absolute, { withFileTypes: true })) {
      const child = path === '' ? entry.name : `${path}/${entry.name}`;
      if (NOT_CONTENT.has(entry.name)) empty = false;
      else if (entry.isDirectory() && visit(child)) found.push(child);
      else empty = false;
    }
    return empty;
  };
  const start = nodePath.join(rootAbs, ...folder.split('/').filter(Boolean));
  if (!fs.existsSync(start) || !fs.statSync(start).isDirectory()) return [];
  visit(folder);
  return found;
}
