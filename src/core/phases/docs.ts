/**
 * The docs action: a README.md in each top-level folder of the proposed layout, from the plan's descriptions, and a
 * migration map listing every old → new path the applies made. Relayout's text sits between two marker comments; a
 * document that exists without them keeps its text and gets the marked block appended, so nothing a person wrote is
 * overwritten, and running the step again replaces only the marked block.
 */
import type { Move } from '../types';
import { isInside, join } from '../paths';
import type { Plan } from '../plan/types';

export const BEGIN_MARKER = '<!-- relayout:generated begin: edits between these markers are replaced when the docs step runs again -->';
export const END_MARKER = '<!-- relayout:generated end -->';
/** Under the plan's root. */
export const MIGRATION_MAP_PATH = 'docs/reference/migration-map.md';

export interface GeneratedDocument {
  /** Workspace-relative. */
  path: string;
  /** The marked block to place. */
  block: string;
}

/** One README per top-level layout folder, listing its subfolders with their descriptions. */
export function folderReadmes(plan: Plan): GeneratedDocument[] {
  const topLevel = plan.layout.filter((folder) => folder.path !== '.' && !folder.path.includes('/'));
  return topLevel.map((top) => {
    const lines = [`# ${top.path}`, ''];
    if (top.description) lines.push(`${top.description}.`.replace(/\.\.$/, '.'), '');
    const below = plan.layout.filter((folder) => folder.path !== top.path && isInside(folder.path, top.path));
    if (below.length > 0) {
      lines.push('## Layout', '');
      for (const folder of below) {
        const depth = folder.path.split('/').length - 2;
        const name = folder.path.slice(top.path.length + 1);
        const description = folder.description ? `: ${folder.description}` : '';
        const expected = folder.expect.length > 0 ? ` (${folder.expect.join(', ')})` : '';
        lines.push(`${'  '.repeat(depth)}- **${name.split('/').pop()}/**${description}${expected}`);
      }
      lines.push('');
    }
    lines.push(`This folder is part of the layout of ${plan.title ?? 'the reorganization plan'} (${plan.file}).`);
    return { path: join(plan.root, top.path, 'README.md'), block: marked(lines.join('\n')) };
  });
}

/** The migration map: every old → new path of `renames` below the plan's root, as a table. */
export function migrationMap(plan: Plan, renames: readonly Move[]): GeneratedDocument {
  const inRoot = renames.filter((rename) => isInside(rename.from, plan.root) || isInside(rename.to, plan.root));
  const lines = ['# Migration map', '', `Every file the reorganization moved: ${inRoot.length} files, old path → new path.`, ''];
  lines.push('| old path | new path |', '|---|---|');
  for (const rename of inRoot) lines.push(`| ${rename.from} | ${rename.to} |`);
  return { path: join(plan.root, MIGRATION_MAP_PATH), block: marked(lines.join('\n')) };
}

/** A document's new text: `existing` with its marked block replaced, or the block appended; the block alone when new. */
export function placeBlock(existing: string | undefined, block: string): string {
  if (existing === undefined) return block + '\n';
  const begin = existing.indexOf(BEGIN_MARKER);
  const end = existing.indexOf(END_MARKER, begin);
  if (begin >= 0 && end >= 0) return existing.slice(0, begin) + block + existing.slice(end + END_MARKER.length);
  const separator = existing.endsWith('\n') ? '\n' : '\n\n';
  return existing + separator + block + '\n';
}

function marked(text: string): string {
  return `${BEGIN_MARKER}\n${text}\n${END_MARKER}`;
}
