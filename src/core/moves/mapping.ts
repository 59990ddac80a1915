/** Where paths land after a batch of moves. */
import { dirname, isInside, movePath } from '../paths';
import type { Move } from '../types';

/**
 * A batch's moves indexed by source, so mapping a path costs one lookup per ancestor instead of one per move.
 * The deepest move that contains a path wins: an inner move with its own target overrides its folder's move.
 */
export class MoveMap {
  private readonly bySource = new Map<string, string>();

  constructor(moves: readonly Move[]) {
    for (const move of moves) this.add(move);
  }

  add(move: Move): void {
    this.bySource.set(move.from, move.to);
  }

  /** Where `path` lands after the batch (itself when no move touches it). */
  map(path: string): string {
    const from = this.sourceContaining(path);
    return from === undefined ? path : this.bySource.get(from) + path.slice(from.length);
  }

  /** True when `path` or one of its ancestors is the source of a move. */
  moves(path: string): boolean {
    return this.sourceContaining(path) !== undefined;
  }

  /** The deepest move source that is `path` or an ancestor of it. */
  private sourceContaining(path: string): string | undefined {
    for (let candidate = path; ; candidate = dirname(candidate)) {
      if (this.bySource.has(candidate)) return candidate;
      if (candidate === '') return undefined;
    }
  }
}

/** Where `path` lands after `moves` (by prefix: a folder move carries everything below it; the deepest move wins). */
export function mappedPath(path: string, moves: readonly Move[]): string {
  let best: Move | undefined;
  for (const move of moves) {
    if (isInside(path, move.from) && (best === undefined || move.from.length > best.from.length)) best = move;
  }
  return best === undefined ? path : (movePath(path, best.from, best.to) ?? path);
}
