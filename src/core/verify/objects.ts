import { createHash } from 'node:crypto';
import { parseAllDocuments } from 'yaml';

/** The identity of a rendered Kubernetes object, as people name it. */
export interface ObjectId {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

/** An object present before and after whose content differs, with the first few differing field paths. */
export interface ModifiedObject extends ObjectId {
  fields: string[];
}

/** How two renders of the same kustomization differ. */
export interface ObjectDiff {
  added: ObjectId[];
  removed: ObjectId[];
  modified: ModifiedObject[];
}

const MAX_FIELDS = 5;

/**
 * Parses a multi-document YAML render into canonical objects: every mapping's keys sorted recursively, then
 * JSON-stringified. Empty documents are dropped. The result is sorted, so equal multisets give equal arrays.
 * Throws when the text is not valid YAML.
 */
export function canonicalObjects(yamlText: string): string[] {
  const objects: string[] = [];
  for (const document of parseAllDocuments(yamlText)) {
    if (document.errors.length > 0) throw new Error(document.errors[0].message);
    const value: unknown = document.toJS({ maxAliasCount: -1 });
    if (value === null || value === undefined) continue;
    objects.push(JSON.stringify(sortKeys(value)));
  }
  return objects.sort();
}

/** A digest of a set of canonical objects (order-insensitive). */
export function digestObjects(objects: readonly string[]): string {
  const hash = createHash('sha256');
  for (const object of [...objects].sort()) hash.update(object).update('\n');
  return hash.digest('hex');
}

/** The apiVersion/kind/namespace/name of a canonical object. */
export function objectId(canonical: string): ObjectId {
  const value = JSON.parse(canonical) as Record<string, unknown>;
  const metadata = isRecord(value.metadata) ? value.metadata : {};
  return {
    apiVersion: asString(value.apiVersion),
    kind: asString(value.kind),
    namespace: asString(metadata.namespace),
    name: asString(metadata.name),
  };
}

/** `Kind namespace/name` (or `Kind name` for cluster-scoped objects). */
export function formatObjectId(id: ObjectId): string {
  return `${id.kind || '(no kind)'} ${id.namespace ? id.namespace + '/' : ''}${id.name || '(no name)'}`;
}

/**
 * Compares two renders as multisets of canonical objects. An object whose identity appears on both sides with
 * different content is reported as modified rather than as one removal and one addition.
 */
export function diffObjects(before: readonly string[], after: readonly string[]): ObjectDiff {
  const remaining = new Map<string, number>();
  for (const object of before) remaining.set(object, (remaining.get(object) ?? 0) + 1);
  const addedObjects: string[] = [];
  for (const object of after) {
    const count = remaining.get(object) ?? 0;
    if (count > 0) remaining.set(object, count - 1);
    else addedObjects.push(object);
  }
  const removedObjects: string[] = [];
  for (const [object, count] of remaining) for (let i = 0; i < count; i++) removedObjects.push(object);

  const removedById = new Map<string, string[]>();
  for (const object of removedObjects) {
    const key = idKey(objectId(object));
    removedById.set(key, [...(removedById.get(key) ?? []), object]);
  }
  const diff: ObjectDiff = { added: [], removed: [], modified: [] };
  for (const object of addedObjects) {
    const id = objectId(object);
    const previous = removedById.get(idKey(id))?.shift();
    if (previous === undefined) diff.added.push(id);
    else diff.modified.push({ ...id, fields: differingFields(JSON.parse(previous), JSON.parse(object)) });
  }
  for (const objects of removedById.values()) for (const object of objects) diff.removed.push(objectId(object));
  return diff;
}

/** A canonical object with `rewrite` applied to every string value (keys are left alone). */
export function mapStrings(canonical: string, rewrite: (text: string) => string): string {
  const visit = (value: unknown): unknown => {
    if (typeof value === 'string') return rewrite(value);
    if (Array.isArray(value)) return value.map(visit);
    if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, visit(item)]));
    return value;
  };
  return JSON.stringify(visit(JSON.parse(canonical)));
}

/** True when the diff has no difference at all. */
export function isEmptyDiff(diff: ObjectDiff): boolean {
  return diff.added.length === 0 && diff.removed.length === 0 && diff.modified.length === 0;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value instanceof Map) return sortKeys(Object.fromEntries([...value].map(([k, v]) => [String(k), v])));
  if (value instanceof Set) return [...value].map(sortKeys);
  if (isRecord(value)) {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) sorted[key] = sortKeys(value[key]);
    return sorted;
  }
  return value;
}

function differingFields(before: unknown, after: unknown, path = '', found: string[] = []): string[] {
  if (found.length >= MAX_FIELDS) return found;
  if (isRecord(before) && isRecord(after) && !Array.isArray(before) && !Array.isArray(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) differingFields(before[key], after[key], path ? `${path}.${key}` : key, found);
  } else if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    before.forEach((item, index) => differingFields(item, after[index], `${path}[${index}]`, found));
  } else if (JSON.stringify(before) !== JSON.stringify(after) && found.length < MAX_FIELDS) {
    found.push(path || '(whole object)');
  }
  return found;
}

function idKey(id: ObjectId): string {
  return [id.apiVersion, id.kind, id.namespace, id.name].join('\u0000');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function asString(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
