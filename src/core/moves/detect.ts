/**
 * Telling moves from what a file watcher reports: a file deleted and the same content created elsewhere. The editor
 * sees a terminal `mv` or `git mv` only this way; these functions decide which deletions and creations are moves,
 * and when a batch of file moves is one folder move.
 */
import { basename, isInside, movePath } from '../paths';
import type { FileSource, Move, ReferenceGraph } from '../types';

/** A file seen deleted or created, with its content fingerprint (for a deletion, the last one known). */
export interface Sighting {
  path: string;
  fingerprint: string;
}

export interface Pairing<T extends Sighting> {
  /** File moves, deleted path → created path. */
  pairs: Move[];
  /** The sightings no pair explains, to be tried again with later ones. */
  deletions: T[];
  creations: T[];
}

/**
 * Pairs each deletion with the one creation of the same content, or when several have it, the one with the same
 * name; a deletion with no such single creation stays unpaired (two copies of one file are not guessed at).
 */
export function pairSightings<T extends Sighting>(deletions: readonly T[], creations: readonly T[]): Pairing<T> {
  const unpairedCreations = [...creations];
  const unpairedDeletions: T[] = [];
  const pairs: Move[] = [];
  for (const deletion of deletions) {
    const same = unpairedCreations.filter((creation) => creation.fingerprint === deletion.fingerprint);
    const sameName = same.filter((creation) => basename(creation.path) === basename(deletion.path));
    const creation = same.length === 1 ? same[0] : sameName.length === 1 ? sameName[0] : undefined;
    if (!creation) {
      unpairedDeletions.push(deletion);
      continue;
    }
    pairs.push({ from: deletion.path, to: creation.path });
    unpairedCreations.splice(unpairedCreations.indexOf(creation), 1);
  }
  return { pairs, deletions: unpairedDeletions, creations: unpairedCreations };
}

/**
 * File moves that carry a whole folder the same way (same names below it), from a folder that is gone to a folder
 * that holds nothing else, become that folder's move, the largest such folder: references to the folder itself then
 * follow too. `graph` and `source` describe the tree now; `deleted` are every file whose deletion was seen with them.
 */
export function coalesceFolderMoves(
  pairs: readonly Move[],
  graph: ReferenceGraph,
  source: FileSource,
  deleted: readonly string[],
): Move[] {
  const pairTarget = new Map(pairs.map((pair) => [pair.from, pair.to]));
  const arrived = new Set(pairs.map((pair) => pair.to));
  const chosen: Move[] = [];
  for (const pair of pairs) {
    const folderMove = folderMovesOf(pair).find(
      (candidate) =>
        source.stat(candidate.from) === undefined &&
        deleted
          .filter((file) => isInside(file, candidate.from))
          .every((file) => pairTarget.get(file) === movePath(file, candidate.from, candidate.to)) &&
        graph.files().every((file) => !isInside(file, candidate.to) || arrived.has(file)),
    );
    chosen.push(folderMove ?? pair);
  }
  const unique = [...new Map(chosen.map((move) => [move.from, move])).values()];
  return unique.filter((move) => !unique.some((other) => other !== move && isInside(move.from, other.from)));
}

/** The folder moves a file move may be part of, largest first: `a/x/f` → `b/x/f` gives `a` → `b`, then `a/x` → `b/x`. */
function folderMovesOf(move: Move): Move[] {
  const from = move.from.split('/');
  const to = move.to.split('/');
  let common = 0;
  while (common < from.length - 1 && common < to.length - 1 && from[from.length - 1 - common] === to[to.length - 1 - common]) {
    common++;
  }
  const moves: Move[] = [];
  for (let kept = common; kept >= 1; kept--) {
    moves.push({ from: from.slice(0, from.length - kept).join('/'), to: to.slice(0, to.length - kept).join('/') });
  }
  return moves;
}
