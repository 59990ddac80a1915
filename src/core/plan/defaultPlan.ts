/**
 * The plan offered when a workspace has no `relayout.yaml`: the Bakery-IA plan, for a workspace whose
 * `infrastructure/` is shaped like the one the Bakery-IA proposal describes (today's layout, or one part-way through
 * the migration).
 */
import { BAKERY_PLAN_TEXT } from './bakeryPlan.generated';

const ROOT = 'infrastructure';
/** Folders of today's layout, as the proposal's "Current Structure Overview" lists them. */
const CURRENT_FOLDERS = ['ci-cd', 'helm', 'kubernetes/base', 'signoz', 'tls'];
/** Top folders of the proposed layout that receive files. */
const PROPOSED_FOLDERS = ['environments', 'services', 'monitoring', 'cicd', 'security', 'scripts'];

/**
 * The bundled Bakery-IA plan text when `files` (workspace-relative) look like the proposal's infrastructure: at least
 * four of its five current folders; or, part-way through the migration, a kustomize base (`kubernetes/base` or
 * `environments`) and at least four folders counted over the current and the proposed ones. Undefined otherwise.
 */
export function defaultPlanFor(files: readonly string[]): string | undefined {
  const present = (folder: string): boolean => {
    const prefix = `${ROOT}/${folder}/`;
    return files.some((file) => file.startsWith(prefix));
  };
  const current = CURRENT_FOLDERS.filter(present).length;
  const proposed = PROPOSED_FOLDERS.filter(present).length;
  const hasKustomizeBase = present('kubernetes/base') || present('environments');
  if (current >= 4 || (hasKustomizeBase && current + proposed >= 4)) return BAKERY_PLAN_TEXT;
  return undefined;
}
