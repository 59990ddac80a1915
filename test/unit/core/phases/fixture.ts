/** A small workspace with a plan that uses every step action, for the phase engine tests. */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as nodePath from 'node:path';
import { loadPlan } from '../../../../src/core/plan/load';
import type { Plan } from '../../../../src/core/plan/types';

export const PLAN_TEXT = `version: 1
title: Shop reorganization
root: deploy
layout:
  - path: environments
    description: Environment configurations
  - path: environments/base
    description: The shared base
  - path: environments/dev
  - path: environments/staging
  - path: scripts
    description: Automation scripts
rules:
  - id: scripts
    from: "k8s/*.sh"
    to: scripts/
  - id: base
    from: k8s/base/
    to: environments/base
  - id: overlays
    from: k8s/overlays/*/
    to: environments/$1
phases:
  - id: prepare
    title: Prepare
    steps:
      - {id: inventory, title: Inventory, action: inventory}
      - {id: deps, title: Dependencies, action: dependency-map}
      - {id: impact, title: Impact, action: impact}
      - {id: backup, title: Backup, action: backup}
  - id: restructure
    title: Restructure
    steps:
      - {id: scripts, title: Scripts, action: move, rules: [scripts]}
      - {id: staging, title: Staging, action: create-environment, with: {from: k8s/overlays/dev, name: staging}}
      - {id: manifests, title: Manifests, action: move, rules: [base, overlays]}
      - {id: check, title: Check, action: validate}
      - {id: docs, title: Docs, action: docs}
      - {id: cleanup, title: Cleanup, action: cleanup}
`;

export const TREE: Record<string, string> = {
  'relayout.yaml': PLAN_TEXT,
  'deploy/k8s/base/kustomization.yaml': 'resources:\n  - deployment.yaml\n',
  'deploy/k8s/base/deployment.yaml':
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers: [{name: web, image: "nginx:1.27"}]\n',
  'deploy/k8s/overlays/dev/kustomization.yaml':
    '# Local cluster at https://shop.local\nnamespace: shop-dev\nnameSuffix: -dev\nlabels:\n  - pairs:\n      environment: development\nimages:\n  - name: nginx\n    newTag: dev\nresources:\n  - ../../base\n',
  'deploy/k8s/restart.sh': '#!/bin/sh\nkubectl apply -k deploy/k8s/overlays/dev\n',
  'README.md': '# Shop\n\nRestart with [restart.sh](deploy/k8s/restart.sh).\n',
};

export function makeWorkspace(tree: Record<string, string> = TREE): string {
  const root = mkdtempSync(nodePath.join(realpathSync(os.tmpdir()), 'relayout-phases-'));
  for (const [path, text] of Object.entries(tree)) {
    mkdirSync(nodePath.dirname(nodePath.join(root, path)), { recursive: true });
    writeFileSync(nodePath.join(root, path), text);
  }
  return root;
}

export function fixturePlan(text = PLAN_TEXT): Plan {
  const loaded = loadPlan(text, 'relayout.yaml');
  if (!loaded.plan) throw new Error(loaded.problems.map((p) => p.message).join('; '));
  return loaded.plan;
}

/** Every file below the root with a hash of its bytes; `.relayout/` and `.git/` left out. */
export function snapshot(root: string, folder = ''): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const entry of readdirSync(nodePath.join(root, folder), { withFileTypes: true })) {
    const path = folder ? `${folder}/${entry.name}` : entry.name;
    if (path === '.relayout' || path === '.git') continue;
    if (entry.isDirectory()) Object.assign(hashes, snapshot(root, path), { [`${path}/`]: 'folder' });
    else hashes[path] = createHash('sha256').update(readFileSync(nodePath.join(root, path))).digest('hex');
  }
  return hashes;
}
