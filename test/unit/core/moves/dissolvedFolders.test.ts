import { strict as assert } from 'node:assert';
import { MemoryFileSource } from '../../../../src/core/inventory/source';
import { applyEditsToText, planMoves } from '../../../../src/core/moves/plan';
import { ReferenceIndex } from '../../../../src/core/refs/index';
import type { MovePlan, TextEdit } from '../../../../src/core/types';

/** Plans `moves` over an in-memory tree with the real extractors. */
function plan(tree: Record<string, string>, moves: { from: string; to: string }[]) {
  const source = new MemoryFileSource(tree);
  return planMoves(moves, ReferenceIndex.build(source), source);
}

/** The tree after the plan: files renamed, edits applied, kustomizations created. */
function applied(tree: Record<string, string>, result: MovePlan): Record<string, string> {
  assert.deepEqual(result.conflicts, []);
  const renamed = new Map(result.renames.map((rename) => [rename.from, rename.to]));
  const after: Record<string, string> = {};
  for (const [path, text] of Object.entries(tree)) after[renamed.get(path) ?? path] = applyEditsToText(text, result.edits.filter((edit) => edit.file === path));
  for (const create of result.creates) after[create.path] = create.content;
  return after;
}

/** References of a tree whose target does not exist, as `file:line text`. */
function brokenIn(tree: Record<string, string>): string[] {
  const source = new MemoryFileSource(tree);
  return [...ReferenceIndex.build(source).allRefs()].filter((ref) => source.stat(ref.target) === undefined).map((ref) => `${ref.from}:${ref.line} ${ref.text}`);
}

/** An edit as [file, start, end, old text, new text, confidence]. */
function edited(edit: TextEdit): [string, number, number, string, string, string] {
  return [edit.file, edit.start, edit.end, edit.oldText, edit.newText, edit.confidence];
}

describe('moves/plan: folders a batch empties', () => {
  const overlays = {
    'k8s/overlays/dev/kustomization.yaml': 'resources: []\n',
    'k8s/overlays/dev/patch.yaml': 'a: 1\n',
    'k8s/overlays/prod/kustomization.yaml': 'resources: []\n',
    'k8s/overlays/prod/patches/replicas.yaml': 'a: 2\n',
    'docs/guide.md': 'The overlays are in [the overlays folder](../k8s/overlays).\n',
  };

  it('rewrites a link to a folder whose subfolders all land, under their names, in one new folder', () => {
    const result = plan(overlays, [
      { from: 'k8s/overlays/dev/kustomization.yaml', to: 'environments/dev/kustomization.yaml' },
      { from: 'k8s/overlays/dev/patch.yaml', to: 'environments/dev/patches/patch.yaml' },
      { from: 'k8s/overlays/prod/kustomization.yaml', to: 'environments/prod/kustomization.yaml' },
      { from: 'k8s/overlays/prod/patches', to: 'environments/prod/patches' },
    ]);
    assert.deepEqual(result.conflicts, []);
    const edit = result.edits.find((e) => e.file === 'docs/guide.md');
    assert.ok(edit, JSON.stringify(result.review));
    assert.equal(edit.newText, '../environments');
    assert.ok(!result.review.some((item) => item.file === 'docs/guide.md'));
  });

  it('makes a link follow the new folder all its files went below when the subfolders are renamed (probable)', () => {
    const result = plan(overlays, [
      { from: 'k8s/overlays/dev/kustomization.yaml', to: 'environments/development/kustomization.yaml' },
      { from: 'k8s/overlays/dev/patch.yaml', to: 'environments/development/patch.yaml' },
      { from: 'k8s/overlays/prod/kustomization.yaml', to: 'environments/prod/kustomization.yaml' },
      { from: 'k8s/overlays/prod/patches', to: 'environments/prod/patches' },
    ]);
    assert.deepEqual(result.edits.filter((e) => e.file === 'docs/guide.md').map(edited), [
      ['docs/guide.md', 42, 57, '../k8s/overlays', '../environments', 'probable'],
    ]);
    assert.ok(!result.review.some((item) => item.file === 'docs/guide.md'));
  });

  it('still asks for review when the subfolders are split up, into folders that existed', () => {
    const result = plan({ ...overlays, 'live/README.md': '' }, [
      { from: 'k8s/overlays/dev/kustomization.yaml', to: 'environments/development/kustomization.yaml' },
      { from: 'k8s/overlays/dev/patch.yaml', to: 'environments/development/patch.yaml' },
      { from: 'k8s/overlays/prod/kustomization.yaml', to: 'live/prod/kustomization.yaml' },
      { from: 'k8s/overlays/prod/patches', to: 'live/prod/patches' },
    ]);
    assert.ok(!result.edits.some((e) => e.file === 'docs/guide.md'));
    assert.ok(result.review.some((item) => item.file === 'docs/guide.md' && /empties/.test(item.reason)), JSON.stringify(result.review));
  });

  it('keeps a free-text path looking like a path when it shortens to one segment', () => {
    const result = plan(
      {
        'k8s/overlays/prod/kustomization.yaml': 'resources: []\n',
        'k8s/README.md': 'Flux reconciles `overlays/prod` every minute.\n',
      },
      [
        { from: 'k8s/README.md', to: 'environments/README.md' },
        { from: 'k8s/overlays/prod', to: 'environments/prod' },
      ],
    );
    const edit = result.edits.find((e) => e.file === 'k8s/README.md');
    assert.ok(edit, JSON.stringify(result));
    assert.equal(edit.oldText, 'overlays/prod');
    assert.equal(edit.newText, './prod');
  });

  describe('a cd into the emptied folder follows the files used there', () => {
    const tree = {
      'infra/tls/gen.sh': '#!/bin/sh\necho gen\n',
      'infra/tls/ca/ca.pem': 'pem\n',
      'scripts/restart.sh': '#!/bin/sh\ncd infra/tls && ./gen.sh && cd ../..\nkubectl apply -f infra/tls/ca/ca.pem\n',
    };

    it('rewrites the cd to the deepest folder holding the used paths, each path relative to it, and the anchor back', () => {
      // The scripts move first (the folder still holds the certificates), then the certificates empty it.
      const scriptsMoved = applied(tree, plan(tree, [{ from: 'infra/tls/gen.sh', to: 'infra/scripts/setup/gen.sh' }]));
      const script = scriptsMoved['scripts/restart.sh'];
      assert.equal(script, '#!/bin/sh\ncd infra/tls && ../scripts/setup/gen.sh && cd ../..\nkubectl apply -f infra/tls/ca/ca.pem\n');
      const result = plan(scriptsMoved, [{ from: 'infra/tls/ca', to: 'infra/security/ca' }]);
      assert.deepEqual(result.edits.map(edited), [
        ['scripts/restart.sh', script.indexOf('infra/tls'), script.indexOf('infra/tls') + 9, 'infra/tls', 'infra/scripts/setup', 'probable'],
        ['scripts/restart.sh', script.indexOf('../scripts'), script.indexOf('../scripts') + 23, '../scripts/setup/gen.sh', './gen.sh', 'probable'],
        ['scripts/restart.sh', script.indexOf('../..'), script.indexOf('../..') + 5, '../..', '../../..', 'probable'],
        ['scripts/restart.sh', script.indexOf('infra/tls/ca'), script.indexOf('infra/tls/ca') + 19, 'infra/tls/ca/ca.pem', 'infra/security/ca/ca.pem', 'probable'],
      ]);
      assert.deepEqual(result.review, []);
      const after = applied(scriptsMoved, result);
      assert.equal(after['scripts/restart.sh'], '#!/bin/sh\ncd infra/scripts/setup && ./gen.sh && cd ../../..\nkubectl apply -f infra/security/ca/ca.pem\n');
      assert.deepEqual(brokenIn(after), []);
    });

    it('does it in one batch too', () => {
      const result = plan(tree, [
        { from: 'infra/tls/gen.sh', to: 'infra/scripts/setup/gen.sh' },
        { from: 'infra/tls/ca', to: 'infra/security/ca' },
      ]);
      const after = applied(tree, result);
      assert.equal(after['scripts/restart.sh'], '#!/bin/sh\ncd infra/scripts/setup && ./gen.sh && cd ../../..\nkubectl apply -f infra/security/ca/ca.pem\n');
      assert.deepEqual(brokenIn(after), []);
    });

    it('keeps the review item when no path is used in that folder', () => {
      const idle = { ...tree, 'scripts/restart.sh': '#!/bin/sh\ncd infra/tls && ls\n' };
      const result = plan(idle, [
        { from: 'infra/tls/gen.sh', to: 'infra/scripts/setup/gen.sh' },
        { from: 'infra/tls/ca', to: 'infra/security/ca' },
      ]);
      assert.deepEqual(result.edits.filter((edit) => edit.file === 'scripts/restart.sh'), []);
      const item = result.review.find((entry) => entry.file === 'scripts/restart.sh');
      assert.ok(item && item.text === 'infra/tls' && /later paths resolve in/.test(item.reason), JSON.stringify(result.review));
    });

    it('moves a step working-directory to the folder holding the files its run uses', () => {
      const workflow =
        'on: push\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n' +
        '      - working-directory: infra/helm\n        run: shellcheck deploy.sh traffic.sh\n';
      const helm = {
        'infra/helm/deploy.sh': '#!/bin/sh\n',
        'infra/helm/traffic.sh': '#!/bin/sh\n',
        'infra/helm/values.yaml': 'a: 1\n',
        '.github/workflows/ci.yml': workflow,
      };
      const result = plan(helm, [
        { from: 'infra/helm/deploy.sh', to: 'infra/scripts/deploy.sh' },
        { from: 'infra/helm/traffic.sh', to: 'infra/monitoring/traffic.sh' },
        { from: 'infra/helm/values.yaml', to: 'infra/monitoring/values.yaml' },
      ]);
      const at = workflow.indexOf('infra/helm');
      assert.deepEqual(result.edits.map((edit) => [...edited(edit), edit.kind]), [
        ['.github/workflows/ci.yml', at, at + 10, 'infra/helm', 'infra', 'probable', 'github.workingDirectory'],
        ['.github/workflows/ci.yml', workflow.indexOf('deploy.sh'), workflow.indexOf('deploy.sh') + 9, 'deploy.sh', 'scripts/deploy.sh', 'probable', 'github.run.path'],
        ['.github/workflows/ci.yml', workflow.indexOf('traffic.sh'), workflow.indexOf('traffic.sh') + 10, 'traffic.sh', 'monitoring/traffic.sh', 'probable', 'github.run.path'],
      ]);
      const after = applied(helm, result);
      assert.match(after['.github/workflows/ci.yml'], /working-directory: infra\n {8}run: shellcheck scripts\/deploy\.sh monitoring\/traffic\.sh\n$/);
      assert.deepEqual(brokenIn(after), []);
    });
  });

  describe('a variable naming the emptied folder follows the paths built on it', () => {
    const makefile = 'K8S_DIR := infra/k8s\n\nprod:\n\tkubectl apply -k $(K8S_DIR)/overlays/prod\n\nrender:\n\tkubectl kustomize $(K8S_DIR)/overlays/$(OVERLAY)\n';
    const tree = {
      Makefile: makefile,
      'infra/k8s/overlays/dev/kustomization.yaml': 'resources: []\n',
      'infra/k8s/overlays/prod/kustomization.yaml': 'resources: []\n',
    };

    it('writes the folder the overlays now sit in, and the templated overlay below it', () => {
      const result = plan(tree, [
        { from: 'infra/k8s/overlays/dev', to: 'infra/environments/dev' },
        { from: 'infra/k8s/overlays/prod', to: 'infra/environments/prod' },
      ]);
      assert.deepEqual(result.edits.map(edited), [
        ['Makefile', 11, 20, 'infra/k8s', 'infra/environments', 'probable'],
        ['Makefile', makefile.indexOf('overlays/prod'), makefile.indexOf('overlays/prod') + 13, 'overlays/prod', 'prod', 'probable'],
        ['Makefile', makefile.indexOf('overlays/$'), makefile.indexOf('overlays/$') + 9, 'overlays/', '', 'probable'],
      ]);
      assert.deepEqual(result.review, []);
      const after = applied(tree, result);
      assert.equal(after.Makefile, 'K8S_DIR := infra/environments\n\nprod:\n\tkubectl apply -k $(K8S_DIR)/prod\n\nrender:\n\tkubectl kustomize $(K8S_DIR)/$(OVERLAY)\n');
      assert.deepEqual(brokenIn(after), []);
    });

    it('finds the base of a templated path that climbs from its variable, and settles it when files only arrive', () => {
      const climbing = {
        ...tree,
        Makefile: makefile.replace('$(K8S_DIR)/overlays/$(OVERLAY)', '$(K8S_DIR)/../environments/$(OVERLAY)'),
        'infra/environments/dev/kustomization.yaml': 'resources: []\n',
        'staging/kustomization.yaml': 'resources: []\n',
      };
      const result = plan(climbing, [{ from: 'staging', to: 'infra/environments/staging' }]);
      assert.ok(!result.review.some((item) => item.file === 'Makefile'), JSON.stringify(result.review));
      assert.ok(!result.edits.some((edit) => edit.file === 'Makefile'));
    });

    it('keeps the templated path for review when the overlays are renamed, the variable following where they went', () => {
      const result = plan(tree, [
        { from: 'infra/k8s/overlays/dev', to: 'infra/environments/development' },
        { from: 'infra/k8s/overlays/prod', to: 'infra/environments/prod' },
      ]);
      assert.deepEqual(result.edits.map(edited), [
        ['Makefile', 11, 20, 'infra/k8s', 'infra/environments', 'probable'],
        ['Makefile', makefile.indexOf('overlays/prod'), makefile.indexOf('overlays/prod') + 13, 'overlays/prod', 'prod', 'probable'],
      ]);
      assert.deepEqual(
        result.review.filter((item) => item.file === 'Makefile').map((item) => item.text),
        ['$(K8S_DIR)/overlays/$(OVERLAY)'],
      );
    });

    it('moves a shell variable with the paths built on it', () => {
      const script = '#!/bin/sh\nCERTS=infra/tls\nkubectl apply -f "$CERTS/ca/ca.pem"\n"$CERTS/gen.sh"\n';
      const certificates = { 'deploy.sh': script, 'infra/tls/gen.sh': '', 'infra/tls/ca/ca.pem': '' };
      const result = plan(certificates, [
        { from: 'infra/tls/gen.sh', to: 'infra/scripts/setup/gen.sh' },
        { from: 'infra/tls/ca', to: 'infra/security/ca' },
      ]);
      assert.deepEqual(result.edits.map(edited), [
        ['deploy.sh', 16, 25, 'infra/tls', './infra', 'probable'],
        ['deploy.sh', script.indexOf('ca/ca.pem'), script.indexOf('ca/ca.pem') + 9, 'ca/ca.pem', 'security/ca/ca.pem', 'probable'],
        ['deploy.sh', script.indexOf('gen.sh'), script.indexOf('gen.sh') + 6, 'gen.sh', 'scripts/setup/gen.sh', 'probable'],
      ]);
      assert.deepEqual(result.review, []);
      const after = applied(certificates, result);
      assert.equal(after['deploy.sh'], '#!/bin/sh\nCERTS=./infra\nkubectl apply -f "$CERTS/security/ca/ca.pem"\n"$CERTS/scripts/setup/gen.sh"\n');
      assert.deepEqual(brokenIn(after), []);
    });

    it('rewrites a templated path whose folder is regrouped even when no variable is involved', () => {
      const script = '#!/bin/sh\nkubectl apply -k "infra/k8s/overlays/${ENV}"\n';
      const result = plan({ ...tree, 'deploy.sh': script }, [
        { from: 'infra/k8s/overlays/dev/kustomization.yaml', to: 'infra/environments/dev/kustomization.yaml' },
        { from: 'infra/k8s/overlays/prod/kustomization.yaml', to: 'infra/environments/prod/kustomization.yaml' },
      ]);
      const at = script.indexOf('infra/k8s/overlays/');
      assert.deepEqual(result.edits.filter((edit) => edit.file === 'deploy.sh').map(edited), [
        ['deploy.sh', at, at + 19, 'infra/k8s/overlays/', 'infra/environments/', 'probable'],
      ]);
      assert.ok(!result.review.some((item) => item.file === 'deploy.sh'), JSON.stringify(result.review));

      // Files arriving in the folder a one-segment template expands below change nothing it named before.
      const rewritten = applied({ ...tree, 'deploy.sh': script }, result);
      const arriving = plan({ ...rewritten, 'staging/kustomization.yaml': 'resources: []\n' }, [
        { from: 'staging', to: 'infra/environments/staging' },
      ]);
      assert.ok(!arriving.review.some((item) => item.file === 'deploy.sh'), JSON.stringify(arriving.review));
      assert.ok(!arriving.edits.some((edit) => edit.file === 'deploy.sh'));
    });
  });

  describe('globs over the emptied folder', () => {
    const workflow =
      "on:\n  push:\n    paths:\n      - 'infra/tls/*.sh'\n      - \"infra/helm/**\"\n      - docs/**\n  pull_request:\n    paths: ['infra/tls/*.sh']\n";
    const tree = {
      '.github/workflows/ci.yml': workflow,
      'infra/tls/gen.sh': '',
      'infra/tls/gen2.sh': '',
      'infra/tls/ca/ca.pem': '',
      'infra/helm/values.yaml': '',
      'infra/helm/deploy.sh': '',
      'infra/scripts/setup/other.sh': '',
      'docs/a.md': '',
    };
    const moves = [
      { from: 'infra/tls/gen.sh', to: 'infra/scripts/setup/gen.sh' },
      { from: 'infra/tls/gen2.sh', to: 'infra/scripts/setup/gen2.sh' },
      { from: 'infra/tls/ca', to: 'infra/security/ca' },
      { from: 'infra/helm/values.yaml', to: 'infra/monitoring/signoz/values.yaml' },
      { from: 'infra/helm/deploy.sh', to: 'infra/monitoring/signoz/deploy.sh' },
    ];

    it('replaces a list item by items matching exactly the files it matched, with its quoting and indentation', () => {
      const result = plan(tree, moves);
      const tls = workflow.indexOf('infra/tls');
      const helm = workflow.indexOf('infra/helm');
      assert.deepEqual(result.edits.map(edited), [
        ['.github/workflows/ci.yml', tls, tls + 14, 'infra/tls/*.sh', 'infra/scripts/setup/gen.sh', 'probable'],
        ['.github/workflows/ci.yml', tls + 15, tls + 15, '', "\n      - 'infra/scripts/setup/gen2.sh'", 'probable'],
        ['.github/workflows/ci.yml', helm, helm + 13, 'infra/helm/**', 'infra/monitoring/signoz/**', 'probable'],
      ]);
      const after = applied(tree, result);
      assert.equal(
        after['.github/workflows/ci.yml'],
        "on:\n  push:\n    paths:\n      - 'infra/scripts/setup/gen.sh'\n      - 'infra/scripts/setup/gen2.sh'\n" +
          "      - \"infra/monitoring/signoz/**\"\n      - docs/**\n  pull_request:\n    paths: ['infra/tls/*.sh']\n",
      );
      // A flow sequence takes no new item: it stays a review item.
      assert.deepEqual(result.review.map((item) => [item.line, item.text]), [[8, 'infra/tls/*.sh']]);
      assert.match(result.review[0].reason, /no single rewrite keeps what it matches/);
    });

    it('adds items for files leaving a glob whose folder stays, and drops an item that matches nothing once its folder is gone', () => {
      const first = plan(tree, [moves[0], moves[1]]);
      const afterFirst = applied(tree, first);
      assert.match(afterFirst['.github/workflows/ci.yml'], /- 'infra\/tls\/\*\.sh'\n {6}- 'infra\/scripts\/setup\/gen\.sh'\n {6}- 'infra\/scripts\/setup\/gen2\.sh'\n/);
      const second = plan(afterFirst, [moves[2]]);
      const afterSecond = applied(afterFirst, second);
      assert.match(afterSecond['.github/workflows/ci.yml'], /paths:\n {6}- 'infra\/scripts\/setup\/gen\.sh'\n {6}- 'infra\/scripts\/setup\/gen2\.sh'\n {6}- "infra\/helm\/\*\*"/);
      assert.deepEqual(brokenIn(afterSecond).filter((broken) => broken.startsWith('.github/workflows/ci.yml:1')), []);
    });
  });

  describe("a folder's README says what the folder is", () => {
    const tree = {
      'docs/arch.md': 'See [the TLS folder](../infra/tls).\n',
      'scripts/notes.sh': '#!/bin/sh\n# Run: cd infra/tls && ./gen.sh\ntar czf tls.tgz infra/tls\n',
      'infra/tls/README.md': '# TLS\n',
      'infra/tls/gen.sh': '',
      'infra/tls/ca/ca.pem': '',
    };
    const moves = [
      { from: 'infra/tls/README.md', to: 'infra/security/README.md' },
      { from: 'infra/tls/gen.sh', to: 'infra/scripts/gen.sh' },
      { from: 'infra/tls/ca', to: 'infra/security/ca' },
    ];

    it('makes links and comments naming the emptied folder follow its README', () => {
      const result = plan(tree, moves);
      assert.deepEqual(result.edits.map(edited), [
        ['docs/arch.md', 21, 33, '../infra/tls', '../infra/security', 'probable'],
        ['scripts/notes.sh', 20, 29, 'infra/tls', 'infra/security', 'probable'],
      ]);
      // A command's argument does not follow: archiving the README's folder is not archiving the certificates.
      assert.deepEqual(result.review.map((item) => [item.file, item.line, item.text]), [['scripts/notes.sh', 3, 'infra/tls']]);
    });

    it("makes a link's text naming the folder whose README the link opens follow the README, while the folder stays", () => {
      const result = plan({ ...tree, 'README.md': '| [infra/tls](infra/tls/README.md) | certificates, see infra/tls |\n' }, [moves[0]]);
      assert.deepEqual(result.edits.filter((e) => e.file === 'README.md').map(edited), [
        ['README.md', 3, 12, 'infra/tls', 'infra/security', 'probable'],
        ['README.md', 14, 33, 'infra/tls/README.md', 'infra/security/README.md', 'exact'],
      ]);
    });

    it('keeps them for review when the folder has no README', () => {
      const { 'infra/tls/README.md': _readme, ...withoutReadme } = tree;
      const result = plan(withoutReadme, moves.slice(1));
      assert.deepEqual(result.edits, []);
      assert.deepEqual(result.review.map((item) => [item.file, item.line, item.text]), [
        ['docs/arch.md', 1, '../infra/tls'],
        ['scripts/notes.sh', 2, 'infra/tls'],
        ['scripts/notes.sh', 3, 'infra/tls'],
      ]);
    });
  });

  describe('a folder moved file by file', () => {
    const tree = {
      'docs/monitoring.md': 'Dashboards: [signoz](../infra/signoz/).\n',
      'scripts/pack.sh': '#!/bin/sh\ntar czf signoz.tgz infra/signoz\n',
      'infra/signoz/import.sh': '',
      'infra/signoz/dashboards/a.json': '{}\n',
      'infra/signoz/dashboards/b.json': '{}\n',
    };

    it('is a folder move when every file keeps its path below the folder under one new folder: links and commands follow', () => {
      const result = plan(tree, [
        { from: 'infra/signoz/import.sh', to: 'infra/monitoring/signoz/import.sh' },
        { from: 'infra/signoz/dashboards/a.json', to: 'infra/monitoring/signoz/dashboards/a.json' },
        { from: 'infra/signoz/dashboards/b.json', to: 'infra/monitoring/signoz/dashboards/b.json' },
      ]);
      assert.deepEqual(result.edits.map(edited), [
        ['docs/monitoring.md', 21, 37, '../infra/signoz/', '../infra/monitoring/signoz/', 'probable'],
        ['scripts/pack.sh', 29, 41, 'infra/signoz', 'infra/monitoring/signoz', 'probable'],
      ]);
      assert.deepEqual(result.review, []);
    });

    it('rewrites the static folder of globs over it (a make wildcard, a script-relative shell glob in a script that moves)', () => {
      const withGlobs = {
        ...tree,
        Makefile: 'DASHBOARDS := $(wildcard infra/signoz/dashboards/*.json)\n',
        'infra/helm/verify.sh': '#!/bin/sh\nHERE="$(cd "$(dirname "$0")" && pwd)"\nfor f in "$HERE"/../signoz/dashboards/*.json; do echo "$f"; done\n',
      };
      const result = plan(withGlobs, [
        { from: 'infra/helm/verify.sh', to: 'infra/scripts/deployment/verify.sh' },
        { from: 'infra/signoz/import.sh', to: 'infra/monitoring/signoz/import.sh' },
        { from: 'infra/signoz/dashboards/a.json', to: 'infra/monitoring/signoz/dashboards/a.json' },
        { from: 'infra/signoz/dashboards/b.json', to: 'infra/monitoring/signoz/dashboards/b.json' },
      ]);
      assert.deepEqual(result.edits.filter((e) => e.file === 'Makefile' || e.file === 'infra/helm/verify.sh').map(edited), [
        ['Makefile', 25, 48, 'infra/signoz/dashboards', 'infra/monitoring/signoz/dashboards', 'probable'],
        ['infra/helm/verify.sh', 65, 85, '../signoz/dashboards', '../../monitoring/signoz/dashboards', 'probable'],
      ]);
      assert.deepEqual(result.review, []);
      assert.deepEqual(brokenIn(applied(withGlobs, result)), []);
    });

    it('reviews a glob over it when its files change what the glob matches', () => {
      const result = plan({ ...tree, Makefile: 'DASHBOARDS := $(wildcard infra/signoz/dashboards/*.json)\n' }, [
        { from: 'infra/signoz/import.sh', to: 'infra/monitoring/signoz/import.sh' },
        { from: 'infra/signoz/dashboards/a.json', to: 'infra/monitoring/signoz/dashboards/a.json' },
        { from: 'infra/signoz/dashboards/b.json', to: 'infra/monitoring/signoz/dashboards/b.yaml' },
      ]);
      // The link follows the new folder its files went below; the command's argument does not.
      assert.deepEqual(result.review.map((item) => [item.file, item.text]), [
        ['Makefile', 'infra/signoz/dashboards/*.json'],
        ['scripts/pack.sh', 'infra/signoz'],
      ]);
      assert.match(result.review[0].reason, /would match different files/);
    });

    it('stays a review item when one file goes elsewhere, and a moving referrer keeps the text it cannot correct', () => {
      const result = plan(tree, [
        { from: 'docs/monitoring.md', to: 'docs/ops/monitoring.md' },
        { from: 'infra/signoz/import.sh', to: 'infra/scripts/import.sh' },
        { from: 'infra/signoz/dashboards/a.json', to: 'infra/monitoring/signoz/dashboards/a.json' },
        { from: 'infra/signoz/dashboards/b.json', to: 'infra/monitoring/signoz/dashboards/b.json' },
      ]);
      assert.deepEqual(result.edits, []);
      assert.deepEqual(result.review.map((item) => [item.file, item.line, item.text]), [
        ['docs/monitoring.md', 1, '../infra/signoz/'],
        ['scripts/pack.sh', 2, 'infra/signoz'],
      ]);
    });
  });

  describe('ignore patterns', () => {
    const gitRepository =
      'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: repo\nspec:\n  ignore: |\n' +
      '    /*\n    !/infra/k8s/\n    !/infra/ci/tekton/\n';
    const tree = {
      'infra/ci/flux/git-repository.yaml': gitRepository,
      '.sourceignore': '/*\r\n!/infra/k8s/\r\n',
      'infra/ci/tekton/pipeline.yaml': 'a: 1\n',
      'infra/k8s/base/kustomization.yaml': 'resources: []\n',
      'infra/k8s/overlays/dev/kustomization.yaml': 'resources: []\n',
      'infra/k8s/restart.sh': '',
    };

    it("rewrites a moved folder's pattern and writes an emptied folder's as one line per place its files went, with its ! and indentation", () => {
      const result = plan(tree, [
        { from: 'infra/ci/flux', to: 'infra/cicd/flux' },
        { from: 'infra/ci/tekton', to: 'infra/cicd/tekton' },
        { from: 'infra/k8s/base', to: 'infra/environments/base' },
        { from: 'infra/k8s/overlays/dev', to: 'infra/environments/dev' },
        { from: 'infra/k8s/restart.sh', to: 'infra/scripts/restart.sh' },
      ]);
      const after = applied(tree, result);
      assert.equal(
        after['infra/cicd/flux/git-repository.yaml'],
        gitRepository.replace('    !/infra/k8s/\n    !/infra/ci/tekton/\n', '    !/infra/environments/\n    !/infra/scripts/\n    !/infra/cicd/tekton/\n'),
      );
      assert.equal(after['.sourceignore'], '/*\r\n!/infra/environments/\r\n!/infra/scripts/\r\n');
      assert.deepEqual(result.review, []);
    });

    it('adds a line for files leaving a folder that stays, after its own and with its !', () => {
      const result = plan(tree, [{ from: 'infra/k8s/restart.sh', to: 'infra/scripts/restart.sh' }]);
      assert.deepEqual(result.edits.map(edited), [
        ['.sourceignore', 16, 16, '', '\r\n!/infra/scripts/', 'probable'],
        ['infra/ci/flux/git-repository.yaml', 124, 124, '', '\n    !/infra/scripts/', 'probable'],
      ]);
    });

    it("writes a subfolder .sourceignore's lines relative to its folder, and reviews files leaving that folder", () => {
      const deploy = { 'deploy/.sourceignore': '/*\n!/apps/\n', 'deploy/apps/web.yaml': '', 'deploy/apps/api.yaml': '' };
      const inside = plan(deploy, [
        { from: 'deploy/apps/web.yaml', to: 'deploy/web/web.yaml' },
        { from: 'deploy/apps/api.yaml', to: 'deploy/api/api.yaml' },
      ]);
      assert.equal(applied(deploy, inside)['deploy/.sourceignore'], '/*\n!/api/\n!/web/\n');
      const leaving = plan(deploy, [{ from: 'deploy/apps/web.yaml', to: 'web/web.yaml' }]);
      assert.deepEqual(leaving.edits, []);
      assert.deepEqual(leaving.review.map((item) => [item.file, item.line, item.text]), [['deploy/.sourceignore', 2, 'apps/']]);
      assert.match(leaving.review[0].reason, /leave deploy/);
    });

    it('leaves out files that another line of the same run lets through where they go, and deletes a line that lets through nothing else', () => {
      const block = (lines: string) =>
        'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: repo\nspec:\n  ignore: |\n' + lines;
      const runTree = {
        'flux/git-repository.yaml': block('    /*\n    !/infra/k8s/\n    # environments, one folder each\n    !/infra/environments/\n'),
        'infra/k8s/base/kustomization.yaml': 'resources: []\n',
        'infra/k8s/restart.sh': '',
        'infra/environments/prod/kustomization.yaml': 'resources: []\n',
      };
      const partly = plan(runTree, [{ from: 'infra/k8s/base', to: 'infra/environments/base' }]);
      assert.deepEqual(partly.edits, []);
      assert.deepEqual(partly.review, []);
      const emptied = plan(runTree, [
        { from: 'infra/k8s/base', to: 'infra/environments/base' },
        { from: 'infra/k8s/restart.sh', to: 'infra/environments/restart.sh' },
      ]);
      assert.equal(applied(runTree, emptied)['flux/git-repository.yaml'], block('    /*\n    # environments, one folder each\n    !/infra/environments/\n'));
      assert.deepEqual(emptied.review, []);

      // A pattern without `!` between the two lines ends the run: the files need a line of their own again.
      const broken = { ...runTree, 'flux/git-repository.yaml': block('    /*\n    !/infra/k8s/\n    /infra/environments/secrets/\n    !/infra/environments/\n') };
      const split = plan(broken, [{ from: 'infra/k8s/base', to: 'infra/environments/base' }]);
      assert.equal(
        applied(broken, split)['flux/git-repository.yaml'],
        block('    /*\n    !/infra/k8s/\n    !/infra/environments/base/\n    /infra/environments/secrets/\n    !/infra/environments/\n'),
      );
    });

    it('reviews files arriving below a pattern', () => {
      const result = plan({ ...tree, 'tools/lint.sh': '' }, [{ from: 'tools/lint.sh', to: 'infra/k8s/lint.sh' }]);
      assert.deepEqual(result.edits, []);
      assert.deepEqual(result.review.map((item) => [item.file, item.line, item.text]), [
        ['.sourceignore', 2, 'infra/k8s/'],
        ['infra/ci/flux/git-repository.yaml', 8, 'infra/k8s/'],
      ]);
    });
  });

  describe('a shell glob word over the emptied folder', () => {
    const lint = '#!/bin/sh\nshellcheck infra/k8s/*.sh\n[ -e infra/k8s/*.sh ] && echo "infra/k8s/*.sh"\n';
    const tree = {
      'ci/lint.sh': lint,
      'infra/k8s/restart.sh': '',
      'infra/k8s/regen.sh': '',
      'infra/k8s/secrets.sh': '',
      'infra/k8s/base/kustomization.yaml': 'resources: []\n',
      'infra/scripts/setup/certs.sh': '',
    };
    const moves = [
      { from: 'infra/k8s/restart.sh', to: 'infra/scripts/maintenance/restart.sh' },
      { from: 'infra/k8s/regen.sh', to: 'infra/scripts/maintenance/regen.sh' },
      { from: 'infra/k8s/secrets.sh', to: 'infra/scripts/setup/secrets.sh' },
    ];

    it('becomes words matching exactly the same files: a folder glob where it is exact, files elsewhere', () => {
      const result = plan(tree, [...moves, { from: 'infra/k8s/base', to: 'infra/environments/base' }]);
      assert.deepEqual(result.edits.filter((e) => e.file === 'ci/lint.sh').map(edited), [
        ['ci/lint.sh', 21, 35, 'infra/k8s/*.sh', 'infra/scripts/maintenance/*.sh infra/scripts/setup/secrets.sh', 'probable'],
      ]);
      // A test operand is one word whatever it matches, and a quoted glob is not expanded: both stay for review.
      assert.deepEqual(result.review.map((item) => [item.file, item.line, item.column]), [
        ['ci/lint.sh', 3, 6],
        ['ci/lint.sh', 3, 32],
      ]);
    });

    it('keeps the word and adds words for the files leaving it while it still matches some', () => {
      const result = plan(tree, moves.slice(0, 2));
      assert.deepEqual(result.edits.filter((e) => e.file === 'ci/lint.sh').map(edited), [
        ['ci/lint.sh', 35, 35, '', ' infra/scripts/maintenance/*.sh', 'probable'],
      ]);
    });

    it('writes the new words in the glob\'s ./ style', () => {
      const dotted = { ...tree, 'ci/lint.sh': '#!/bin/sh\nshellcheck ./infra/k8s/*.sh\n' };
      const result = plan(dotted, moves.slice(0, 2));
      assert.deepEqual(result.edits.filter((e) => e.file === 'ci/lint.sh').map(edited), [
        ['ci/lint.sh', 37, 37, '', ' ./infra/scripts/maintenance/*.sh', 'probable'],
      ]);
    });

    it('stays a review item when a file arrives below it', () => {
      const result = plan({ ...tree, 'tools/x.sh': '' }, [{ from: 'tools/x.sh', to: 'infra/k8s/x.sh' }]);
      assert.deepEqual(result.edits, []);
      assert.deepEqual(result.review.map((item) => [item.file, item.line, item.column]), [
        ['ci/lint.sh', 2, 12],
        ['ci/lint.sh', 3, 6],
        ['ci/lint.sh', 3, 32],
      ]);
    });
  });
});

describe('moves/plan: a working directory the batch empties', () => {
  it("keeps a step's `.` when its working-directory follows the folder's whole content to a new folder", () => {
    const tree = {
      'helm/app/Chart.yaml': 'name: app\n',
      '.github/workflows/release.yaml': [
        'on: push',
        'jobs:',
        '  release:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - working-directory: ./helm',
        '        run: |',
        '          imgpkg push -b registry/app -f .',
        '',
      ].join('\n'),
    };
    const result = plan(tree, [{ from: 'helm/app', to: 'charts/app' }]);
    const after = applied(tree, result);
    assert.match(after['.github/workflows/release.yaml'], /working-directory: \.\/charts\n/);
    assert.match(after['.github/workflows/release.yaml'], /-f \.\n/);
    assert.deepEqual(brokenIn(after), []);
  });
});

describe('moves/plan: Markdown link destinations are URLs', () => {
  const tree = {
    'docs/pictures/threat model.png': 'png',
    'docs/api/components.md': '![](../pictures/threat%20model.png){: style="width:70%;"} and [raw](<../pictures/threat model.png>)\n',
  };

  it('writes a percent-encoded destination encoded again, and an angled one as it was', () => {
    const result = plan(tree, [{ from: 'docs/pictures', to: 'docs/assets/pictures' }]);
    const after = applied(tree, result);
    assert.equal(
      after['docs/api/components.md'],
      '![](../assets/pictures/threat%20model.png){: style="width:70%;"} and [raw](<../assets/pictures/threat model.png>)\n',
    );
    assert.deepEqual(brokenIn(after), []);
  });

  it('escapes a space the new path brings into a plain destination', () => {
    const plain = { 'docs/a.png': 'png', 'docs/guide.md': '![](a.png)\n' };
    const after = applied(plain, plan(plain, [{ from: 'docs/a.png', to: 'docs/my pictures/a.png' }]));
    assert.equal(after['docs/guide.md'], '![](my%20pictures/a.png)\n');
    assert.deepEqual(brokenIn(after), []);
  });
});

describe('moves/plan: a path templated inside a segment', () => {
  const tree = {
    'releases/cnpg-1.0.yaml': 'kind: List\n',
    'releases/cnpg-1.1.yaml': 'kind: List\n',
    'hack/release.sh': '#!/bin/bash\nrelease_manifest="releases/cnpg-${release_version}.yaml"\n',
  };

  it('rewrites the static folder of releases/cnpg-${VERSION}.yaml when the whole folder moves', () => {
    const result = plan(tree, [{ from: 'releases', to: 'dist/releases' }]);
    const after = applied(tree, result);
    assert.equal(after['hack/release.sh'], '#!/bin/bash\nrelease_manifest="dist/releases/cnpg-${release_version}.yaml"\n');
    assert.deepEqual(result.review.filter((item) => item.file === 'hack/release.sh'), []);
  });

  it('keeps it a review item when only some files of the folder leave', () => {
    const result = plan(tree, [{ from: 'releases/cnpg-1.0.yaml', to: 'old/cnpg-1.0.yaml' }]);
    assert.deepEqual(result.edits.filter((edit) => edit.file === 'hack/release.sh'), []);
    assert.equal(result.review.filter((item) => item.file === 'hack/release.sh').length, 1);
  });
});
