import { strict as assert } from 'node:assert';
import { extractShell, extractShellFragment, scanShell } from '../../../../src/core/refs/shell';
import { LineIndex } from '../../../../src/core/text';
import type { Extraction, Reference } from '../../../../src/core/types';
import { workspaceOf } from './textWorkspace';

const SCRIPT = 'infrastructure/scripts/deploy.sh';
const workspace = workspaceOf(
  SCRIPT,
  'infrastructure/scripts/lib.sh',
  'infrastructure/scripts/dashboards/api.json',
  'infrastructure/kubernetes/base/kustomization.yaml',
  'infrastructure/kubernetes/overlays/dev/kustomization.yaml',
  'infrastructure/kubernetes/overlays/dev/values-dev.yaml',
  'infrastructure/tls/generate-certificates.sh',
  'applications/orders/upstream/deployment.yaml',
  'charts/gateway/Chart.yaml',
  'clusters/staging/flux-system/gotk-sync.yaml',
  'monitoring/README.md',
);

function scan(text: string, path = SCRIPT): Extraction {
  return extractShell({ path, text, kind: 'shell' }, workspace);
}

/** The fields a test pins down, in a stable order. */
function summary(ref: Reference): object {
  const { start, end, text, target, base, baseRule, kind, confidence } = ref;
  return { start, end, text, target, base, baseRule, kind, confidence };
}

function offsetOf(text: string, needle: string, occurrence = 1): number {
  let at = -1;
  for (let i = 0; i < occurrence; i++) {
    at = text.indexOf(needle, at + 1);
    assert.ok(at >= 0, `fixture lacks ${needle}`);
  }
  return at;
}

describe('core/refs/shell', () => {
  describe('anchors', () => {
    it('makes SCRIPT_DIR script-relative and the REPO_ROOT depth an exact anchor reference', () => {
      const text =
        '#!/usr/bin/env bash\n' +
        'SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"\n' +
        'REPO_ROOT="$SCRIPT_DIR/../.."\n' +
        'source "$SCRIPT_DIR/lib.sh"\n' +
        'kubectl apply -k "$REPO_ROOT/infrastructure/kubernetes/overlays/dev"\n' +
        'kubectl apply -f ${REPO_ROOT}/infrastructure/tls/generate-certificates.sh\n';
      const { refs, review, problems } = scan(text);
      assert.deepEqual(review, []);
      assert.deepEqual(problems, []);
      assert.deepEqual(refs.map(summary), [
        { start: 102, end: 107, text: '../..', target: '', base: 'infrastructure/scripts', baseRule: 'referrer', kind: 'shell.anchor', confidence: 'exact' },
        { start: 129, end: 135, text: 'lib.sh', target: 'infrastructure/scripts/lib.sh', base: 'infrastructure/scripts', baseRule: 'referrer', kind: 'shell.path', confidence: 'exact' },
        { start: 166, end: 204, text: 'infrastructure/kubernetes/overlays/dev', target: 'infrastructure/kubernetes/overlays/dev', base: '', baseRule: 'fixed', kind: 'shell.path', confidence: 'exact' },
        { start: 236, end: 279, text: 'infrastructure/tls/generate-certificates.sh', target: 'infrastructure/tls/generate-certificates.sh', base: '', baseRule: 'fixed', kind: 'shell.path', confidence: 'exact' },
      ]);
      assert.deepEqual([refs[0].line, refs[0].column], [3, 24]);
      for (const ref of refs) assert.equal(text.slice(ref.start, ref.end), ref.text);
    });

    it('recognises $(dirname "$0") and $(dirname "$(readlink -f "$0")")', () => {
      const text = 'HERE=$(dirname "$0")\nREAL=$(dirname "$(readlink -f "$0")")\ncat "$HERE/lib.sh" "$REAL/dashboards/api.json"\n';
      const { refs } = scan(text);
      assert.deepEqual(refs.map(summary), [
        { start: offsetOf(text, 'lib.sh'), end: offsetOf(text, 'lib.sh') + 6, text: 'lib.sh', target: 'infrastructure/scripts/lib.sh', base: 'infrastructure/scripts', baseRule: 'referrer', kind: 'shell.path', confidence: 'exact' },
        { start: offsetOf(text, 'dashboards/api.json'), end: offsetOf(text, 'dashboards/api.json') + 19, text: 'dashboards/api.json', target: 'infrastructure/scripts/dashboards/api.json', base: 'infrastructure/scripts', baseRule: 'referrer', kind: 'shell.path', confidence: 'exact' },
      ]);
    });

    it('reports the .. inside $(cd "$(dirname "$0")/.." && pwd) and bases later paths on the folder it names', () => {
      const text = 'INFRA="$(cd "$(dirname "$0")/.." && pwd)"\nkustomize build "$INFRA/kubernetes/base"\n';
      const { refs } = scan(text);
      assert.deepEqual(refs.map(summary), [
        { start: 29, end: 31, text: '..', target: 'infrastructure', base: 'infrastructure/scripts', baseRule: 'referrer', kind: 'shell.anchor', confidence: 'exact' },
        { start: 66, end: 81, text: 'kubernetes/base', target: 'infrastructure/kubernetes/base', base: 'infrastructure', baseRule: 'fixed', kind: 'shell.path', confidence: 'exact' },
      ]);
    });

    it('anchors $(git rev-parse --show-toplevel) at the root', () => {
      const text = 'ROOT="$(git rev-parse --show-toplevel)"\nhelm upgrade gw "$ROOT/charts/gateway" --values "$ROOT/infrastructure/kubernetes/overlays/dev/values-dev.yaml"\n';
      const { refs } = scan(text);
      assert.deepEqual(refs.map((ref) => [ref.text, ref.base, ref.baseRule, ref.target, ref.confidence]), [
        ['charts/gateway', '', 'fixed', 'charts/gateway', 'exact'],
        ['infrastructure/kubernetes/overlays/dev/values-dev.yaml', '', 'fixed', 'infrastructure/kubernetes/overlays/dev/values-dev.yaml', 'exact'],
      ]);
    });

    it('sends paths behind a REPO_ROOT whose depth climbs out of the workspace to review', () => {
      const { refs, review } = scan('DIR=$(dirname "$0")\nROOT="$DIR/../../.."\ncat "$ROOT/monitoring/README.md"\n');
      assert.deepEqual(refs, []);
      assert.deepEqual(review.map(({ start, end, text, target, reason }) => ({ start, end, text, target, reason })), [
        { start: 46, end: 72, text: '$ROOT/monitoring/README.md', target: 'monitoring/README.md', reason: 'path follows a variable whose value is not known statically' },
      ]);
    });

    it('reviews a path that names something from where the script was before a cd to an unknown variable', () => {
      const text = 'cd "${REPO_ROOT}"\nko resolve -f charts/gateway/Chart.yaml -f not/here.yaml\ncd /tmp/build\ncat charts/gateway/Chart.yaml\ncd "$(mktemp -d)"\ncat monitoring/README.md\n';
      const { refs, review } = scan(text);
      assert.deepEqual(refs, []);
      assert.deepEqual(review.map(({ line, text, target, reason }) => ({ line, text, target, reason })), [
        { line: 2, text: 'charts/gateway/Chart.yaml', target: 'charts/gateway/Chart.yaml', reason: 'path is relative to a working directory not known statically (a cd to a variable)' },
      ]);
    });

    it('recognises cd -- "$(dirname -- …)" &> /dev/null, realpath and ${BASH_SOURCE%/*}', () => {
      const text = [
        'A=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" &> /dev/null && pwd)',
        'B="$(realpath "$(dirname "$0")")"',
        'C="${BASH_SOURCE%/*}"',
        'cat "$A/lib.sh" "$B/lib.sh" "$C/lib.sh" "${0%/*}/lib.sh"',
        '',
      ].join('\n');
      const { refs } = scan(text);
      assert.deepEqual(refs.map((ref) => [ref.text, ref.base, ref.baseRule, ref.confidence]), [
        ['lib.sh', 'infrastructure/scripts', 'referrer', 'exact'],
        ['lib.sh', 'infrastructure/scripts', 'referrer', 'exact'],
        ['lib.sh', 'infrastructure/scripts', 'referrer', 'exact'],
        ['lib.sh', 'infrastructure/scripts', 'referrer', 'exact'],
      ]);
    });

    it('leaves $0 unknown in a fragment that is not a whole script', () => {
      const text = 'DIR=$(dirname "$0")\ncat "$DIR/lib.sh"\n';
      const result = extractShellFragment(
        { file: SCRIPT, text, start: 0, end: text.length, cwd: '', cwdRule: 'fixed', kindPrefix: 'github.run' },
        workspace,
        new LineIndex(text),
      );
      assert.deepEqual(result.refs, []);
    });
  });

  describe('working directory', () => {
    it('follows a cd chain and reports each cd argument', () => {
      const text = 'cd infrastructure/kubernetes && kustomize build overlays/dev && cd ../..\nkubectl apply -f applications/orders/upstream\n';
      const { refs } = scan(text);
      assert.deepEqual(refs.map(summary), [
        { start: 3, end: 28, text: 'infrastructure/kubernetes', target: 'infrastructure/kubernetes', base: '', baseRule: 'fixed', kind: 'shell.path', confidence: 'probable' },
        { start: 48, end: 60, text: 'overlays/dev', target: 'infrastructure/kubernetes/overlays/dev', base: 'infrastructure/kubernetes', baseRule: 'fixed', kind: 'shell.path', confidence: 'probable' },
        { start: 67, end: 72, text: '../..', target: '', base: 'infrastructure/kubernetes', baseRule: 'fixed', kind: 'shell.anchor', confidence: 'probable' },
        { start: 90, end: 118, text: 'applications/orders/upstream', target: 'applications/orders/upstream', base: '', baseRule: 'fixed', kind: 'shell.path', confidence: 'probable' },
      ]);
    });

    it('keeps a cd inside $(…) or ( … ) from changing the outer directory', () => {
      const text = 'X=$(cd infrastructure && pwd)\n(cd charts && ls gateway)\ncat infrastructure/scripts/lib.sh\n';
      const { refs } = scan(text);
      assert.deepEqual(refs.map((ref) => [ref.text, ref.base]), [
        ['infrastructure', ''],
        ['charts', ''],
        ['gateway', 'charts'],
        ['infrastructure/scripts/lib.sh', ''],
      ]);
    });

    it('reads the literal script of sh -c / bash -ec as shell of its own, offset for offset, its cd staying inside', () => {
      const text =
        "bash -c 'cd infrastructure/tls && ./generate-certificates.sh'\n" +
        'sh -ec "cd charts && ls gateway"\n' +
        'ls gateway\n' +
        'sh -c "cd $DIR && ls gateway"\n' +
        'bash infrastructure/scripts/lib.sh -c charts/gateway\n';
      const { refs, review } = scan(text);
      assert.deepEqual(review, []);
      assert.deepEqual(refs.map(summary).slice(0, 4), [
        { start: 12, end: 30, text: 'infrastructure/tls', target: 'infrastructure/tls', base: '', baseRule: 'fixed', kind: 'shell.path', confidence: 'probable' },
        {
          start: 34, end: 60, text: './generate-certificates.sh', target: 'infrastructure/tls/generate-certificates.sh', base: 'infrastructure/tls',
          baseRule: 'fixed', kind: 'shell.path', confidence: 'probable',
        },
        { start: 73, end: 79, text: 'charts', target: 'charts', base: '', baseRule: 'fixed', kind: 'shell.path', confidence: 'probable' },
        { start: 86, end: 93, text: 'gateway', target: 'charts/gateway', base: 'charts', baseRule: 'fixed', kind: 'shell.path', confidence: 'probable' },
      ]);
      for (const ref of refs) assert.equal(text.slice(ref.start, ref.end), ref.text);
      // After the inner cd the outer directory is the root again; an expanding script and a script file's -c are not read.
      assert.deepEqual(refs.slice(4).map((ref) => [ref.text, ref.target]), [
        ['infrastructure/scripts/lib.sh', 'infrastructure/scripts/lib.sh'],
        ['charts/gateway', 'charts/gateway'],
      ]);
    });

    it('keeps a cd inside a function body from changing the directory after the definition', () => {
      const text = [
        'build() {',
        '  cd charts && ls gateway',
        '  { cd /tmp; } > /dev/null',
        '  ls gateway',
        '}',
        'function docs {',
        '  cd monitoring; cat README.md',
        '}',
        'ls charts/gateway',
        '',
      ].join('\n');
      const { refs, problems } = scan(text);
      assert.deepEqual(problems, []);
      assert.deepEqual(refs.map((ref) => [ref.text, ref.base, ref.line]), [
        ['charts', '', 2],
        ['gateway', 'charts', 2],
        ['monitoring', '', 7],
        ['README.md', 'monitoring', 7],
        ['charts/gateway', '', 9],
      ]);
    });

    it('resolves relative to the script folder when the root does not hold the path', () => {
      const { refs } = scan('bash ./lib.sh\n');
      assert.deepEqual(refs.map(summary), [
        { start: 5, end: 13, text: './lib.sh', target: 'infrastructure/scripts/lib.sh', base: 'infrastructure/scripts', baseRule: 'referrer', kind: 'shell.path', confidence: 'probable' },
      ]);
    });

    it('makes paths after cd "$SCRIPT_DIR" script-relative', () => {
      const { refs } = scan('cd "$(dirname "$0")"\ncat lib.sh\ncd -\ncat monitoring/README.md\n');
      assert.deepEqual(refs.map((ref) => [ref.text, ref.base, ref.baseRule]), [
        ['lib.sh', 'infrastructure/scripts', 'referrer'],
        ['monitoring/README.md', '', 'fixed'],
      ]);
    });

    it('stops resolving relative paths after cd to an unknown folder', () => {
      const { refs } = scan('cd "$TMPDIR"\ncat monitoring/README.md\n');
      assert.deepEqual(refs, []);
    });

    it('uses the fragment cwd and its rule', () => {
      const text = '  - run: |\n      kustomize build overlays/dev\n';
      const start = offsetOf(text, 'kustomize');
      const { refs } = extractShellFragment(
        { file: 'infrastructure/kubernetes/Makefile', text, start, end: text.length, cwd: 'infrastructure/kubernetes', cwdRule: 'referrer', kindPrefix: 'make.recipe' },
        workspace,
        new LineIndex(text),
      );
      assert.deepEqual(refs.map(summary), [
        { start: 33, end: 45, text: 'overlays/dev', target: 'infrastructure/kubernetes/overlays/dev', base: 'infrastructure/kubernetes', baseRule: 'referrer', kind: 'make.recipe.path', confidence: 'probable' },
      ]);
      assert.deepEqual([refs[0].line, refs[0].column], [2, 23]);
    });
    it('follows a cd into a folder that does not exist: the operand is one broken reference, the paths after it resolve by their text', () => {
      const text = 'cd infrastructure/gone && ./x.sh && cd ../..\nkubectl apply -k infrastructure/kubernetes/overlays/dev\ncd infrastructure/gone\ncat ../tls/generate-certificates.sh\n';
      const { refs, review } = scan(text);
      assert.deepEqual(review, []);
      assert.deepEqual(
        refs.map((ref) => [ref.text, ref.kind, ref.base, ref.target, ref.namesBase ?? false]),
        [
          ['infrastructure/gone', 'shell.path', '', 'infrastructure/gone', true],
          ['../..', 'shell.anchor', 'infrastructure/gone', '', true],
          ['infrastructure/kubernetes/overlays/dev', 'shell.path', '', 'infrastructure/kubernetes/overlays/dev', false],
          ['infrastructure/gone', 'shell.path', '', 'infrastructure/gone', true],
          ['../tls/generate-certificates.sh', 'shell.path', 'infrastructure/gone', 'infrastructure/tls/generate-certificates.sh', false],
        ],
      );
      assert.equal(refs[1].start, offsetOf(text, '../..'));
    });

    it('marks the operand of a cd and the value of an assignment as naming the base of later paths, and nothing else', () => {
      const text = 'K8S=infrastructure/kubernetes\nkubectl apply -k "$K8S/overlays/dev"\ncd infrastructure/tls\ncat infrastructure/kubernetes/base/kustomization.yaml\n';
      const { refs } = scan(text, 'run.sh');
      assert.deepEqual(
        refs.map((ref) => [ref.text, ref.base, ref.namesBase ?? false]),
        [
          ['infrastructure/kubernetes', '', true],
          ['overlays/dev', 'infrastructure/kubernetes', false],
          ['infrastructure/tls', '', true],
        ],
      );
    });

    it('takes no cd into a folder the commands before it create for a broken reference, and keeps following it', () => {
      const text = [
        'mkdir -p out/render && cd out/render && cat ../../infrastructure/scripts/lib.sh',
        'cd ../..',
        'git clone https://github.com/org/kustomize.git && cd kustomize/site',
        'cd ../..',
        'git clone --depth 1 https://example.com/y.git custom',
        'cd custom',
        'cd ..',
        'git clone "https://github.com/${GITHUB_USER}/fleet-infra.git" && cd fleet-infra',
        'cd ..',
        'git clone "$REPO_URL" && cd unknown-clone',
        '',
      ].join('\n');
      const { refs } = scan(text, 'run.sh');
      assert.deepEqual(
        refs.map((ref) => [ref.text, ref.base, ref.target]),
        [
          ['../../infrastructure/scripts/lib.sh', 'out/render', 'infrastructure/scripts/lib.sh'],
          ['../..', 'out/render', ''],
          ['../..', 'kustomize/site', ''],
          ['..', 'custom', ''],
          ['..', 'fleet-infra', ''],
          ['unknown-clone', '', 'unknown-clone'],
        ],
      );
    });

    it('does not take a cd into a missing place outside the workspace or behind an option as a path', () => {
      const { refs } = scan('cd ../../outside && ./x.sh\ncd -P /tmp\ncd ~/src\n');
      assert.deepEqual(refs, []);
    });
  });

  describe('commands and words', () => {
    it("reads -m's value as a path except for commands where it is a message (git commit -m)", () => {
      const text = 'jsonnet -J vendor -m infrastructure/kubernetes/base main.jsonnet\ngit commit -m monitoring/README.md\n';
      const { refs } = scan(text);
      assert.deepEqual(refs.map((ref) => [ref.line, ref.text]), [[1, 'infrastructure/kubernetes/base']]);
    });

    it('reads the value of a generator name:key=value argument (controller-gen output:crd:artifacts:config=DIR)', () => {
      const text = [
        'controller-gen rbac:roleName=manager paths="./..." output:crd:artifacts:config=infrastructure/kubernetes/base',
        'controller-gen object:headerFile="monitoring/README.md" paths="./..."',
        'controller-gen output:dir=nowhere/at/all',
        'gomplate -d config=./monitoring/README.md --file x.tpl',
        '',
      ].join('\n');
      const { refs } = scan(text);
      assert.deepEqual(refs.map((ref) => [ref.text, ref.target, ref.confidence]), [
        ['infrastructure/kubernetes/base', 'infrastructure/kubernetes/base', 'probable'],
        ['monitoring/README.md', 'monitoring/README.md', 'probable'],
        ['./monitoring/README.md', 'monitoring/README.md', 'probable'],
      ]);
      for (const ref of refs) assert.equal(text.slice(ref.start, ref.end), ref.text);
    });

    it('reads the elements of an array assignment, one path each, and reviews those built from unknown variables', () => {
      const text = 'FILES=(\n  "${ROOT}/charts/gateway/Chart.yaml" # gateway\n  monitoring/README.md\n)\nFILES+=("clusters/staging/flux-system/gotk-sync.yaml")\nlocal DIRS=(charts/gateway)\n';
      const { refs, review } = scan(text);
      assert.deepEqual(refs.map((ref) => [ref.line, ref.text, ref.target]), [
        [3, 'monitoring/README.md', 'monitoring/README.md'],
        [5, 'clusters/staging/flux-system/gotk-sync.yaml', 'clusters/staging/flux-system/gotk-sync.yaml'],
        [6, 'charts/gateway', 'charts/gateway'],
      ]);
      for (const ref of refs) assert.equal(text.slice(ref.start, ref.end), ref.text);
      assert.deepEqual(review.map((item) => [item.line, item.text, item.target]), [[2, '${ROOT}/charts/gateway/Chart.yaml', 'charts/gateway/Chart.yaml']]);
    });

    it('reviews ./$name.yaml no more than $name.yaml: no folder of it is written', () => {
      const { refs, review } = scan('for step in a b; do kubectl apply -f ./$step-install.yaml -f $step.yaml -f ../$step.yaml; done\n');
      assert.deepEqual(refs, []);
      assert.deepEqual(review.map((item) => [item.text, item.target]), [['../$step.yaml', 'infrastructure']]);
    });

    it('splits a setting value at commas: further settings (schemapatch:manifests=DIR,x=true) or a list of paths (SRC_DIRS=a,b)', () => {
      const text = 'controller-gen schemapatch:manifests=infrastructure/kubernetes/base,generateEmbeddedObjectMeta=true output:dir=charts/gateway\n' +
        'make clean SRC_DIRS="./charts/gateway/Chart.yaml,./monitoring/README.md"\n';
      const { refs } = scan(text);
      assert.deepEqual(refs.map((ref) => [ref.text, ref.target]), [
        ['infrastructure/kubernetes/base', 'infrastructure/kubernetes/base'],
        ['charts/gateway', 'charts/gateway'],
        ['./charts/gateway/Chart.yaml', 'charts/gateway/Chart.yaml'],
        ['./monitoring/README.md', 'monitoring/README.md'],
      ]);
      for (const ref of refs) assert.equal(text.slice(ref.start, ref.end), ref.text);
    });

    it('recognises kubectl, kustomize, helm, flux, cp, mv and redirect arguments', () => {
      const text = [
        'kubectl apply --filename=infrastructure/kubernetes/base -k infrastructure/kubernetes/overlays/dev',
        'kubectl kustomize infrastructure/kubernetes/base | kubectl delete -f -',
        'helm install gw charts/gateway -f infrastructure/kubernetes/overlays/dev/values-dev.yaml',
        'flux bootstrap github --path=./clusters/staging',
        'cp monitoring/README.md /tmp/x && mv ./charts/gateway/Chart.yaml charts/gateway/Chart.yaml',
        'envsubst < infrastructure/kubernetes/base/kustomization.yaml > /dev/null 2>&1',
        '',
      ].join('\n');
      const { refs } = scan(text);
      assert.deepEqual(refs.map((ref) => ref.text), [
        'infrastructure/kubernetes/base',
        'infrastructure/kubernetes/overlays/dev',
        'infrastructure/kubernetes/base',
        'charts/gateway',
        'infrastructure/kubernetes/overlays/dev/values-dev.yaml',
        './clusters/staging',
        'monitoring/README.md',
        './charts/gateway/Chart.yaml',
        'charts/gateway/Chart.yaml',
        'infrastructure/kubernetes/base/kustomization.yaml',
      ]);
      const flux = refs[5];
      assert.deepEqual(summary(flux), {
        start: offsetOf(text, './clusters'), end: offsetOf(text, './clusters') + 18, text: './clusters/staging', target: 'clusters/staging', base: '', baseRule: 'fixed', kind: 'shell.path', confidence: 'probable',
      });
      for (const ref of refs) assert.equal(text.slice(ref.start, ref.end), ref.text);
    });

    it('leaves scripts for another interpreter alone and reads env-launched shells', () => {
      assert.deepEqual(scan('#!/usr/bin/env python3\nopen("monitoring/README.md")\n').refs, []);
      assert.deepEqual(scan('#!/usr/bin/node\ncat monitoring/README.md\n').refs, []);
      assert.deepEqual(scan('#!/usr/bin/env bash\ncat monitoring/README.md\n').refs.map((ref) => ref.text), ['monitoring/README.md']);
      assert.deepEqual(scan('#!/bin/zsh -e\ncat monitoring/README.md\n').refs.map((ref) => ref.text), ['monitoring/README.md']);
    });

    it('reads kubectl kustomize and kustomize build arguments as paths', () => {
      const { refs } = scan('cd charts/gateway && kubectl kustomize . && kustomize build . && kubectl get .\n');
      assert.deepEqual(refs.map((ref) => [ref.start, ref.text, ref.target]), [
        [3, 'charts/gateway', 'charts/gateway'],
        [39, '.', 'charts/gateway'],
        [60, '.', 'charts/gateway'],
      ]);
    });

    it('drops the key of --from-file=key=path, also when the path follows a variable', () => {
      const text = 'D=$(dirname "$0")\nkubectl create secret generic x --from-file=lib=lib.sh --from-file=api.json="$D/dashboards/api.json"\n';
      const { refs } = scan(text);
      assert.deepEqual(refs.map((ref) => [ref.start, ref.text, ref.target, ref.confidence]), [
        [text.indexOf('lib.sh'), 'lib.sh', 'infrastructure/scripts/lib.sh', 'probable'],
        [text.indexOf('dashboards/'), 'dashboards/api.json', 'infrastructure/scripts/dashboards/api.json', 'exact'],
      ]);
    });

    it('accepts a bare folder name only where a command takes a path', () => {
      const { refs } = scan('kubectl create namespace monitoring\nls monitoring\n');
      assert.deepEqual(refs.map((ref) => [ref.text, ref.start]), [['monitoring', 39]]);
    });

    it('ignores words that do not resolve, URLs, absolute paths and options', () => {
      const { refs, review } = scan(
        'kubectl apply -f infrastructure/missing.yaml\ncurl -sSL https://example.com/charts/gateway\ncat /etc/hosts ~/x.yaml\nls --namespace=monitoring\n',
      );
      assert.deepEqual(refs, []);
      assert.deepEqual(review, []);
    });

    it('reads a single-quoted, double-quoted and escaped path', () => {
      const text = "cat 'monitoring/README.md' \"charts/gateway\" charts/gate\\way\n";
      const { refs, review } = scan(text);
      assert.deepEqual(refs.map((ref) => [ref.start, ref.end, ref.text]), [
        [5, 25, 'monitoring/README.md'],
        [28, 42, 'charts/gateway'],
      ]);
      assert.deepEqual(review.map((item) => [item.text, item.target, item.reason]), [
        ['charts/gate\\way', 'charts/gateway', 'path is written with quotes or escapes inside it; update by hand'],
      ]);
    });

    it('reads comments as free text, skips case patterns and scans case arms and heredoc bodies', () => {
      const text = [
        '# kubectl apply -f charts/gateway',
        "cat <<'EOF' > /tmp/out",
        'charts/gateway',
        'EOF',
        'case "$1" in',
        '  charts/gateway|monitoring) ls charts/gateway ;;',
        '  *) echo "no" ;;',
        'esac',
        'ls monitoring # charts/gateway',
        '',
      ].join('\n');
      const { refs } = scan(text);
      assert.deepEqual(refs.map((ref) => [ref.text, ref.line, ref.kind]), [
        ['charts/gateway', 1, 'shell.comment'],
        ['charts/gateway', 3, 'shell.path'],
        ['charts/gateway', 6, 'shell.path'],
        ['monitoring', 9, 'shell.path'],
        ['charts/gateway', 9, 'shell.comment'],
      ]);
    });

    it('expands variables in an unquoted heredoc body and takes a quoted one literally', () => {
      const text = [
        'SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"',
        'cat <<MSG',
        '  - next: kubectl create -f $SCRIPT_DIR/dashboards/api.json, then read monitoring/README.md.',
        'MSG',
        "cat <<'RAW'",
        '  $SCRIPT_DIR/lib.sh',
        'RAW',
        'ls charts',
        '',
      ].join('\n');
      const { refs } = scan(text);
      assert.deepEqual(refs.map((ref) => [ref.text, ref.line, ref.column, ref.base, ref.confidence]), [
        ['dashboards/api.json', 3, 41, 'infrastructure/scripts', 'exact'],
        ['monitoring/README.md', 3, 72, '', 'probable'],
        ['charts', 8, 4, '', 'probable'],
      ]);
    });

    it('reads path-like words inside a quoted message', () => {
      const text = 'echo "Apply later: kubectl apply --filename=charts/gateway (see monitoring/README.md)."\n';
      const { refs } = scan(text);
      assert.deepEqual(refs.map((ref) => [ref.start, ref.end, ref.text, ref.confidence]), [
        [text.indexOf('charts/'), text.indexOf('charts/') + 14, 'charts/gateway', 'probable'],
        [text.indexOf('monitoring/'), text.indexOf('monitoring/') + 20, 'monitoring/README.md', 'probable'],
      ]);
    });

    it('handles line continuations, backticks, [[ ]] tests and functions', () => {
      const text = [
        'deploy() {',
        '  kubectl apply \\',
        '    -k infrastructure/kubernetes/base',
        '}',
        'V=`cat charts/gateway/Chart.yaml`',
        'if [[ -f monitoring/README.md && "$V" =~ ^(a|b)$ ]]; then echo ok; fi',
        '',
      ].join('\n');
      const { refs } = scan(text);
      assert.deepEqual(refs.map((ref) => [ref.text, ref.line, ref.column]), [
        ['infrastructure/kubernetes/base', 3, 8],
        ['charts/gateway/Chart.yaml', 5, 8],
        ['monitoring/README.md', 6, 10],
      ]);
    });

    it('closes a $( … ) or backtick substitution written inside a [[ ]] test', () => {
      const text = [
        "if [[ $(git diff --stat) != '' ]]; then cat monitoring/README.md; fi",
        '[[ $(git status --porcelain) ]] && cat charts/gateway/Chart.yaml',
        '[[ -n `ls charts/gateway` && ( -f monitoring/README.md ) ]] && echo infrastructure/tls/generate-certificates.sh',
        '',
      ].join('\n');
      const { refs, problems } = scan(text);
      assert.deepEqual(problems, []);
      assert.deepEqual(refs.map((ref) => [ref.text, ref.line, ref.column]), [
        ['monitoring/README.md', 1, 45],
        ['charts/gateway/Chart.yaml', 2, 40],
        ['charts/gateway', 3, 11],
        ['monitoring/README.md', 3, 35],
        ['infrastructure/tls/generate-certificates.sh', 3, 69],
      ]);
    });

    it('reads a $ before the closing quote of a double-quoted string as a literal dollar', () => {
      const text = 'tag=$(git tag -l | grep -o "[a-z[:digit:]-]*$" | tail -n 1)\ncat <<EOF\nends with $\nEOF\ncat monitoring/README.md\n';
      const { refs, problems } = scan(text);
      assert.deepEqual(problems, []);
      assert.deepEqual(refs.map((ref) => [ref.text, ref.line, ref.column]), [['monitoring/README.md', 5, 5]]);
    });

    it('takes the subcommand of kubectl kustomize / kustomize build and the pattern of grep for no path', () => {
      const tree = workspaceOf('kustomize/kustomization.yaml', 'build/kustomization.yaml', 'deploy/kustomization.yaml');
      const text = [
        'kubectl kustomize ./kustomize/ | kubeconform',
        'kustomize build build',
        'grep -rl "podinfo:1.0" deploy kustomize',
        'grep -r -e deploy kustomize',
        '',
      ].join('\n');
      const { refs } = extractShell({ path: 'Makefile.sh', text, kind: 'shell' }, tree);
      assert.deepEqual(refs.map((ref) => [ref.text, ref.line, ref.column]), [
        ['./kustomize/', 1, 19],
        ['build', 2, 17],
        ['deploy', 3, 24],
        ['kustomize', 3, 31],
        ['kustomize', 4, 19],
      ]);
    });

    it('reads the literal path at the start of a ^-anchored search pattern, up to its first regex operator', () => {
      const tree = workspaceOf('infrastructure/signoz/dashboards/index.json', 'docs/guide.md');
      const text = [
        "git diff --name-only HEAD~1 | grep -q '^infrastructure/signoz/dashboards/' && echo changed",
        "ls -R | grep -E '^docs/[a-z]+\\.md$'",
        "grep -q 'docs/' list.txt",
        '',
      ].join('\n');
      const { refs } = extractShell({ path: 'ci/detect.sh', text, kind: 'shell' }, tree);
      assert.deepEqual(refs.map(summary), [
        {
          start: offsetOf(text, "'^") + 2,
          end: offsetOf(text, "/' &&") + 1,
          text: 'infrastructure/signoz/dashboards/',
          target: 'infrastructure/signoz/dashboards',
          base: '',
          baseRule: 'fixed',
          kind: 'shell.path',
          confidence: 'probable',
        },
        {
          start: offsetOf(text, 'docs/'),
          end: offsetOf(text, 'docs/') + 5,
          text: 'docs/',
          target: 'docs',
          base: '',
          baseRule: 'fixed',
          kind: 'shell.path',
          confidence: 'probable',
        },
      ]);
      // An anchored prefix selects every path below it, like a glob.
      assert.deepEqual(refs.map((ref) => ref.glob ?? false), [true, true]);
    });

    it('needs no review for a path behind a variable that names a place outside the workspace', () => {
      const text = [
        'DEMO_HOME=$(mktemp -d)',
        'export OUT=/tmp/render',
        'CACHE="$HOME/.cache"',
        'cat $DEMO_HOME/monitoring/README.md $OUT/monitoring/README.md $CACHE/monitoring/README.md',
        'cat $(mktemp -d)/monitoring/README.md $TMPDIR/monitoring/README.md',
        'cat $UNKNOWN/monitoring/README.md',
        '',
      ].join('\n');
      const { refs, review } = scan(text);
      assert.deepEqual(refs, []);
      assert.deepEqual(review.map((item) => [item.text, item.line]), [['$UNKNOWN/monitoring/README.md', 6]]);
    });

    it('remembers a variable assigned a resolving path and reports the assignment, not each use', () => {
      const text = 'OVERLAY=infrastructure/kubernetes/overlays/dev\nexport BASE="infrastructure/kubernetes/base"\nkustomize build "$OVERLAY"\ncat "$OVERLAY/values-dev.yaml"\n';
      const { refs } = scan(text);
      assert.deepEqual(refs.map((ref) => [ref.text, ref.base, ref.baseRule, ref.target, ref.confidence]), [
        ['infrastructure/kubernetes/overlays/dev', '', 'fixed', 'infrastructure/kubernetes/overlays/dev', 'probable'],
        ['infrastructure/kubernetes/base', '', 'fixed', 'infrastructure/kubernetes/base', 'probable'],
        ['values-dev.yaml', 'infrastructure/kubernetes/overlays/dev', 'fixed', 'infrastructure/kubernetes/overlays/dev/values-dev.yaml', 'probable'],
      ]);
    });
  });

  describe('comments', () => {
    it('reports a path named in a comment as probable, resolved from the root', () => {
      const text = '#!/usr/bin/env bash\n# Run from the repository root:  ./infrastructure/scripts/deploy.sh\nset -eu\n';
      const { refs, review } = scan(text);
      assert.deepEqual(review, []);
      assert.deepEqual(refs.map(summary), [
        { start: 53, end: 87, text: './infrastructure/scripts/deploy.sh', target: SCRIPT, base: '', baseRule: 'fixed', kind: 'shell.comment', confidence: 'probable' },
      ]);
      assert.deepEqual([refs[0].line, refs[0].column], [2, 34]);
    });

    it('falls back to the script folder and drops quotes, backticks and closing punctuation', () => {
      const text = "# Needs `lib.sh` and 'dashboards/api.json'; see monitoring/README.md.\r\n";
      const { refs } = scan(text);
      assert.deepEqual(refs.map(summary), [
        { start: 9, end: 15, text: 'lib.sh', target: 'infrastructure/scripts/lib.sh', base: 'infrastructure/scripts', baseRule: 'referrer', kind: 'shell.comment', confidence: 'probable' },
        { start: 22, end: 41, text: 'dashboards/api.json', target: 'infrastructure/scripts/dashboards/api.json', base: 'infrastructure/scripts', baseRule: 'referrer', kind: 'shell.comment', confidence: 'probable' },
        { start: 48, end: 68, text: 'monitoring/README.md', target: 'monitoring/README.md', base: '', baseRule: 'fixed', kind: 'shell.comment', confidence: 'probable' },
      ]);
    });

    it('skips URLs, plain words, absolute paths, globs, variables, bare depths and missing paths, with no review item', () => {
      const text = '# https://example.com/charts/gateway monitoring /charts/gateway charts/*/Chart.yaml $SCRIPT_DIR/lib.sh ../.. ~/charts missing/x.sh\n';
      assert.deepEqual(scan(text), { refs: [], review: [], problems: [] });
    });

    it('is never run: a cd in a comment changes nothing, and a comment after a cd resolves in that folder', () => {
      const text = '# cd charts\ncat gateway/Chart.yaml\ncd charts  # reads ./gateway/Chart.yaml\n';
      const { refs } = scan(text);
      assert.deepEqual(refs.map(summary), [
        { start: 38, end: 44, text: 'charts', target: 'charts', base: '', baseRule: 'fixed', kind: 'shell.path', confidence: 'probable' },
        { start: 54, end: 74, text: './gateway/Chart.yaml', target: 'charts/gateway/Chart.yaml', base: 'charts', baseRule: 'fixed', kind: 'shell.comment', confidence: 'probable' },
      ]);
    });

    it('leaves the output of a command substitution to the command before the comment', () => {
      const text = 'CHARTS=$(cd charts && pwd # the folder of gateway/Chart.yaml\n)\ncat "$CHARTS/gateway/Chart.yaml"\n';
      const { refs } = scan(text);
      assert.deepEqual(refs.map((ref) => [ref.start, ref.end, ref.text, ref.base, ref.kind]), [
        [12, 18, 'charts', '', 'shell.path'],
        [42, 60, 'gateway/Chart.yaml', 'charts', 'shell.comment'],
        [76, 94, 'gateway/Chart.yaml', 'charts', 'shell.path'],
      ]);
    });

    it('reads comments in an embedded fragment with the fragment kind prefix', () => {
      const text = 'dev:\n\tkustomize build overlays/dev  # needs overlays/dev/values-dev.yaml\n';
      const start = offsetOf(text, 'kustomize');
      const { refs } = scanShell(
        { file: 'infrastructure/kubernetes/Makefile', text, start, end: text.length, cwd: 'infrastructure/kubernetes', cwdRule: 'referrer', kindPrefix: 'make.recipe' },
        workspace,
        new LineIndex(text),
        { dialect: 'make' },
      );
      assert.deepEqual(refs.map(summary), [
        { start: 22, end: 34, text: 'overlays/dev', target: 'infrastructure/kubernetes/overlays/dev', base: 'infrastructure/kubernetes', baseRule: 'referrer', kind: 'make.recipe.path', confidence: 'probable' },
        { start: 44, end: 72, text: 'overlays/dev/values-dev.yaml', target: 'infrastructure/kubernetes/overlays/dev/values-dev.yaml', base: 'infrastructure/kubernetes', baseRule: 'referrer', kind: 'make.recipe.comment', confidence: 'probable' },
      ]);
    });
  });

  describe('needs review', () => {
    it('reports paths built from unknown variables and globs with their static folder', () => {
      const text = [
        'SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"',
        'for f in "$SCRIPT_DIR/dashboards/${name}.json"; do :; done',
        'kubectl apply -k "applications/${NAME}/upstream"',
        'cat charts/*/Chart.yaml',
        'cat "$UNSET/charts/gateway" "${NAME}/x" "nothing/${NAME}" "$HOME/.kube/config"',
        '',
      ].join('\n');
      const { refs, review } = scan(text);
      assert.deepEqual(refs.map((ref) => [ref.start, ref.end, ref.text, ref.target, ref.glob]), [[171, 190, 'charts/*/Chart.yaml', 'charts', true]]);
      assert.deepEqual(
        review.map(({ start, end, text: reviewed, target, line, kind }) => ({ start, end, text: reviewed, target, line, kind })),
        [
          { start: 69, end: 104, text: '$SCRIPT_DIR/dashboards/${name}.json', target: 'infrastructure/scripts/dashboards', line: 2, kind: 'shell.path' },
          { start: 136, end: 165, text: 'applications/${NAME}/upstream', target: 'applications', line: 3, kind: 'shell.path' },
          { start: 196, end: 217, text: '$UNSET/charts/gateway', target: 'charts/gateway', line: 5, kind: 'shell.path' },
        ],
      );
      assert.match(review[0].reason, /variable/);
      assert.match(review[2].reason, /variable whose value is not known/);
    });

    it('reads the operands of git branch and remote commands as refs, not paths: only what follows -- is one', () => {
      const text = [
        'git checkout -b "charts/${TAG}"',
        'git push --set-upstream origin "charts/${TAG}" && git fetch origin charts/gateway',
        'git -C infrastructure push origin charts/gateway',
        'git checkout main -- charts/gateway/Chart.yaml',
        'git add "charts/${TAG}"',
        '',
      ].join('\n');
      const { refs, review } = scan(text);
      assert.deepEqual(refs.map((ref) => [ref.line, ref.text, ref.target]), [
        [3, 'infrastructure', 'infrastructure'],
        [4, 'charts/gateway/Chart.yaml', 'charts/gateway/Chart.yaml'],
      ]);
      assert.deepEqual(review.map((item) => [item.line, item.text]), [[5, 'charts/${TAG}']]);
    });

    it('reads the value of a name or message option (--title, --head, -m) as no path', () => {
      const text = 'gh pr create --title "charts/${V}" --head=charts/gateway --base "charts/${V}" --body-file charts/gateway/Chart.yaml\n';
      const { refs, review } = scan(text);
      assert.deepEqual(refs.map((ref) => ref.text), ['charts/gateway/Chart.yaml']);
      assert.deepEqual(review, []);
    });

    it('reports a variable naming a folder above the script found by dirname alone, not one with a written ..', () => {
      const text = [
        'HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"',
        'ROOT=$(dirname "$(dirname "$HERE")")',
        'UP="$(cd "$HERE/.." && pwd)"',
        'SAME=$(dirname "$0")',
        'cat "$ROOT/charts/gateway/Chart.yaml"',
        '',
      ].join('\n');
      const { refs, review } = scan(text);
      assert.deepEqual(review.map((item) => [item.line, item.text, item.kind, item.target]), [[2, '$(dirname "$(dirname "$HERE")")', 'shell.scriptDepth', '']]);
      assert.deepEqual(refs.filter((ref) => ref.line === 5).map((ref) => [ref.text, ref.target, ref.base, ref.baseRule]), [
        ['charts/gateway/Chart.yaml', 'charts/gateway/Chart.yaml', '', 'referrer'],
      ]);
    });

    it('tells an unquoted glob word among arguments (which the shell expands into words) from a pattern or a quoted glob', () => {
      const text = [
        'shellcheck infrastructure/kubernetes/*.yaml',
        'for f in infrastructure/kubernetes/overlays/*/; do :; done',
        'if [[ $f == infrastructure/kubernetes/*.yaml ]]; then :; fi',
        'ls "infrastructure/kubernetes/*.yaml" > infrastructure/kubernetes/*.log',
        '',
      ].join('\n');
      const { refs } = scan(text);
      assert.deepEqual(refs.map((ref) => [ref.line, ref.text, ref.kind, ref.glob]), [
        [1, 'infrastructure/kubernetes/*.yaml', 'shell.globWord', true],
        [2, 'infrastructure/kubernetes/overlays/*/', 'shell.globWord', true],
        [3, 'infrastructure/kubernetes/*.yaml', 'shell.path', true],
        [4, 'infrastructure/kubernetes/*.log', 'shell.path', true],
        [4, 'infrastructure/kubernetes/*.yaml', 'shell.path', true],
      ]);
    });

    it('reads a glob after its static folder as a glob reference, after an anchored variable too; an escaped one stays for review', () => {
      const text = [
        'HERE="$(cd "$(dirname "$0")" && pwd)"',
        'for f in "$HERE"/../kubernetes/overlays/*/values-*.yaml; do :; done',
        'ls infrastructure/kubernetes/overlays/d\\ev/*.yaml "$HERE"/*.json',
        '',
      ].join('\n');
      const { refs, review } = scan(text);
      assert.deepEqual(refs.filter((ref) => ref.glob).map((ref) => ({ ...summary(ref), glob: ref.glob })), [
        {
          start: 55, end: 93, text: '../kubernetes/overlays/*/values-*.yaml', target: 'infrastructure/kubernetes/overlays',
          base: 'infrastructure/scripts', baseRule: 'referrer', kind: 'shell.path', confidence: 'exact', glob: true,
        },
      ]);
      assert.deepEqual(review.map((item) => [item.text, item.target]), [
        ['infrastructure/kubernetes/overlays/d\\ev/*.yaml', 'infrastructure/kubernetes/overlays/dev'],
        ['$HERE"/*.json', 'infrastructure/scripts'],
      ]);
    });
  });

  describe('text encoding', () => {
    it('keeps offsets with a BOM and CRLF line endings', () => {
      const text = '\uFEFF#!/bin/sh\r\nDIR=$(dirname "$0")\r\n. "$DIR/lib.sh"\r\ncd charts && ls gateway\r\n';
      const { refs, problems } = scan(text);
      assert.deepEqual(problems, []);
      assert.deepEqual(refs.map((ref) => [ref.start, ref.end, ref.text, ref.line, ref.column]), [
        [41, 47, 'lib.sh', 3, 9],
        [53, 59, 'charts', 4, 4],
        [66, 73, 'gateway', 4, 17],
      ]);
      assert.equal(refs[2].target, 'charts/gateway');
    });

    it('reports an unterminated quote as a warning', () => {
      const { problems } = scan('echo "charts\n');
      assert.deepEqual(problems.map((problem) => [problem.line, problem.column, problem.severity]), [[1, 6, 'warning']]);
    });
  });

  describe('make dialect', () => {
    it('expands make variables inside single quotes and reads an option given as the command word', () => {
      const text = "\tsh -c 'ls $(CHARTS)/gateway' && --values=monitoring/README.md\n";
      const variables = new Map([['CHARTS', { path: 'charts', rule: 'fixed' as const, anchored: false }]]);
      const { refs } = scanShell(
        { file: 'Makefile', text, start: 1, end: text.length, cwd: '', cwdRule: 'referrer', kindPrefix: 'make.recipe' },
        workspace,
        new LineIndex(text),
        { dialect: 'make', makeVariables: variables },
      );
      assert.deepEqual(refs.map((ref) => [ref.start, ref.text, ref.target]), [
        [21, 'gateway', 'charts/gateway'],
        [42, 'monitoring/README.md', 'monitoring/README.md'],
      ]);
    });


    it('expands make variables and reads $$ as the shell dollar', () => {
      const text = '\tkustomize build $(OVERLAY)/../../base && cd $$(dirname charts/gateway) && ls ${CHARTS}/gateway\n';
      const variables = new Map([
        ['OVERLAY', { path: 'infrastructure/kubernetes/overlays/dev', rule: 'fixed' as const, anchored: false }],
        ['CHARTS', { path: 'charts', rule: 'fixed' as const, anchored: false }],
      ]);
      const { refs } = scanShell(
        { file: 'Makefile', text, start: 1, end: text.length, cwd: '', cwdRule: 'referrer', kindPrefix: 'make.recipe' },
        workspace,
        new LineIndex(text),
        { dialect: 'make', makeVariables: variables },
      );
      assert.deepEqual(refs.map((ref) => [ref.text, ref.base, ref.target]), [
        ['../../base', 'infrastructure/kubernetes/overlays/dev', 'infrastructure/kubernetes/base'],
        ['charts/gateway', '', 'charts/gateway'],
        ['gateway', 'charts', 'charts/gateway'],
      ]);
    });
  });

  it('reviews a word of a script below a tool folder that names something from the root and from that folder too', () => {
    const tree = workspaceOf('tools/certgen/hack/e2e.sh', 'tools/certgen/rootfs/main.go', 'rootfs/Dockerfile', 'charts/gateway/Chart.yaml');
    const text = 'ls ./\npushd rootfs\ngo build\npopd\ncat charts/gateway/Chart.yaml\n';
    const { refs, review } = extractShell({ path: 'tools/certgen/hack/e2e.sh', text, kind: 'shell' }, tree);
    // `./` names the folder the script runs in, wherever that is: no ambiguity to review.
    assert.deepEqual(refs.map((ref) => [ref.text, ref.target]), [['./', ''], ['charts/gateway/Chart.yaml', 'charts/gateway/Chart.yaml']]);
    assert.deepEqual(review.map((item) => [item.text, item.target]), [['rootfs', 'rootfs']]);
    assert.match(review[0].reason, /tools\/certgen/);
    // With no rootfs at the root, the word names the one above the script's folder.
    const alone = workspaceOf('tools/certgen/hack/e2e.sh', 'tools/certgen/rootfs/main.go');
    const after = extractShell({ path: 'tools/certgen/hack/e2e.sh', text, kind: 'shell' }, alone);
    assert.deepEqual(after.refs.map((ref) => [ref.text, ref.target, ref.confidence]), [['./', '', 'probable'], ['rootfs', 'tools/certgen/rootfs', 'probable']]);
    assert.deepEqual(after.review, []);
  });

  describe('output paths', () => {
    /** The fields of an output reference, at the first occurrence of `written` in `text`. */
    function output(text: string, written: string, target: string, base = '', baseRule = 'fixed', kind = 'shell.output'): object {
      const start = offsetOf(text, written);
      return { start, end: start + written.length, text: written, target, base, baseRule, kind, confidence: 'probable', output: true };
    }

    function outputSummary(ref: Reference): object {
      return ref.output ? { ...summary(ref), output: ref.output } : summary(ref);
    }

    it('reports a file a redirection writes into an existing folder, for every output operator', () => {
      const text =
        'kustomize build > infrastructure/kubernetes/overlays/dev/rendered.yaml\n' +
        'echo a >> infrastructure/kubernetes/base/extra.yaml\n' +
        'echo b >| charts/gateway/values-out.yaml\n' +
        'kubectl get all &> monitoring/state.log\n' +
        'kubectl get all &>>monitoring/state-all.log\n' +
        'kubectl get all 2> clusters/staging/errors.log\n' +
        'echo c > dashboards/new.json\n';
      const { refs, review } = scan(text);
      assert.deepEqual(review, []);
      assert.deepEqual(refs.map(outputSummary), [
        output(text, 'infrastructure/kubernetes/overlays/dev/rendered.yaml', 'infrastructure/kubernetes/overlays/dev/rendered.yaml'),
        output(text, 'infrastructure/kubernetes/base/extra.yaml', 'infrastructure/kubernetes/base/extra.yaml'),
        output(text, 'charts/gateway/values-out.yaml', 'charts/gateway/values-out.yaml'),
        output(text, 'monitoring/state.log', 'monitoring/state.log'),
        output(text, 'monitoring/state-all.log', 'monitoring/state-all.log'),
        output(text, 'clusters/staging/errors.log', 'clusters/staging/errors.log'),
        // Resolved like any relative path: the working directory first, then the script's folder.
        output(text, 'dashboards/new.json', 'infrastructure/scripts/dashboards/new.json', 'infrastructure/scripts', 'referrer'),
      ]);
      assert.deepEqual([refs[0].line, refs[0].column], [1, 19]);
    });

    it('reports the files tee writes, skipping its options, and what follows an anchored variable', () => {
      const text =
        'SCRIPT_DIR="$(cd "$(dirname "$0")" && pwd)"\n' +
        'kubectl get all -o yaml | tee -a --output-error=warn infrastructure/kubernetes/base/all.yaml monitoring/all.yaml /dev/stderr\n' +
        'echo x > "$SCRIPT_DIR/../kubernetes/base/generated.yaml"\n';
      const { refs } = scan(text);
      assert.deepEqual(refs.map(outputSummary), [
        output(text, 'infrastructure/kubernetes/base/all.yaml', 'infrastructure/kubernetes/base/all.yaml'),
        output(text, 'monitoring/all.yaml', 'monitoring/all.yaml'),
        output(text, '../kubernetes/base/generated.yaml', 'infrastructure/kubernetes/base/generated.yaml', 'infrastructure/scripts', 'referrer'),
      ]);
    });

    it('reports no path for fd duplication, input redirections, here-strings, bare names, missing folders or places outside', () => {
      const text =
        'kubectl get all 2>&1 >&2\n' +
        'kubectl apply -f - < infrastructure/kubernetes/base/input.yaml\n' +
        'cat <<< infrastructure/kubernetes/base/here.yaml\n' +
        'cat <<EOF > /tmp/out.yaml\ntext\nEOF\n' +
        'echo x > out.yaml\n' +
        'echo x > ./out.yaml\n' +
        'echo x > ../out.yaml\n' +
        'echo x > infrastructure/kubernetes/missing/out.yaml\n' +
        'echo x > ../../../outside/out.yaml\n' +
        'echo x > "$HOME/.kube/config" && echo y | tee ~/notes/x.txt /tmp/y.yaml\n' +
        'TMP_DIR=$(mktemp -d)\n' +
        'echo x > "$TMP_DIR/infrastructure/x.yaml"\n' +
        'echo x > monitoring/kept.log\n';
      const { refs, review } = scan(text);
      // Only the last line names a workspace folder it writes into.
      assert.deepEqual(refs.map(outputSummary), [output(text, 'monitoring/kept.log', 'monitoring/kept.log')]);
      assert.deepEqual(review, []);
    });

    it('reports a missing file below two folders that exist, named as a command argument (a generated patch), as an output reference', () => {
      const text =
        "grep -q x ./infrastructure/kubernetes/base/image_patch.yaml && sed -i 's/a/b/' ./infrastructure/kubernetes/base/image_patch.yaml\n" +
        'echo "edit infrastructure/kubernetes/base/notes.yaml by hand"\n' +
        'cat monitoring/missing.yaml infrastructure/kubernetes/gone/x.yaml\n';
      const { refs } = scan(text);
      const first = text.indexOf('./infrastructure');
      const second = text.indexOf('./infrastructure', first + 1);
      assert.deepEqual(refs.map(outputSummary), [
        { ...output(text, './infrastructure/kubernetes/base/image_patch.yaml', 'infrastructure/kubernetes/base/image_patch.yaml'), start: first, end: first + 49 },
        { ...output(text, './infrastructure/kubernetes/base/image_patch.yaml', 'infrastructure/kubernetes/base/image_patch.yaml'), start: second, end: second + 49, kind: 'shell.path' },
      ]);
    });

    it('keeps a written file that exists an ordinary path reference, next to one that does not exist yet', () => {
      const text = 'kubectl get all > infrastructure/kubernetes/overlays/dev/values-dev.yaml\nkubectl get all > infrastructure/kubernetes/overlays/dev/values-new.yaml\n';
      const { refs } = scan(text);
      assert.deepEqual(refs.map(outputSummary), [
        { start: 18, end: 72, text: 'infrastructure/kubernetes/overlays/dev/values-dev.yaml', target: 'infrastructure/kubernetes/overlays/dev/values-dev.yaml', base: '', baseRule: 'fixed', kind: 'shell.path', confidence: 'probable' },
        output(text, 'infrastructure/kubernetes/overlays/dev/values-new.yaml', 'infrastructure/kubernetes/overlays/dev/values-new.yaml'),
      ]);
      assert.equal(refs[0].output, undefined);
    });

    it('reports a later path naming a file written earlier as an output-resolving path, in subshells too', () => {
      const text =
        'flux create secret git auth --export > ./monitoring/auth.yaml\n' +
        "yq eval '.stringData' ./monitoring/auth.yaml\n" +
        '(sops --encrypt --in-place monitoring/auth.yaml)\n' +
        'cat ./monitoring/other.yaml\n';
      const { refs } = scan(text);
      const second = offsetOf(text, './monitoring/auth.yaml', 2);
      const third = offsetOf(text, 'monitoring/auth.yaml', 3);
      assert.deepEqual(refs.map(outputSummary), [
        output(text, './monitoring/auth.yaml', 'monitoring/auth.yaml'),
        { start: second, end: second + 22, text: './monitoring/auth.yaml', target: 'monitoring/auth.yaml', base: '', baseRule: 'fixed', kind: 'shell.path', confidence: 'probable', output: true },
        { start: third, end: third + 20, text: 'monitoring/auth.yaml', target: 'monitoring/auth.yaml', base: '', baseRule: 'fixed', kind: 'shell.path', confidence: 'probable', output: true },
      ]);
    });

    it('resolves an output path after a cd in the folder it names', () => {
      const text = 'cd infrastructure/kubernetes\nkustomize build overlays/dev > overlays/dev/rendered.yaml\n';
      const { refs } = scan(text);
      assert.deepEqual(refs.slice(1, 2).map(outputSummary), [
        output(text, 'overlays/dev/rendered.yaml', 'infrastructure/kubernetes/overlays/dev/rendered.yaml', 'infrastructure/kubernetes'),
      ]);
    });
  });
});
