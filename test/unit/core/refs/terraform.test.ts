import { strict as assert } from 'node:assert';
import { extractTerraform } from '../../../../src/core/refs/terraform';
import type { Extraction } from '../../../../src/core/types';
import { workspaceOf } from './textWorkspace';

const MODULE_FILE = 'infrastructure/terraform/cluster/main.tf';
const workspace = workspaceOf(
  MODULE_FILE,
  'infrastructure/terraform/cluster/manifests/namespace.yaml',
  'infrastructure/terraform/modules/network/main.tf',
  'infrastructure/kustomize/base/kustomization.yaml',
);

function extract(text: string): Extraction {
  return extractTerraform({ path: MODULE_FILE, text, kind: 'terraform' }, workspace);
}

describe('core/refs/terraform', () => {
  it('reports plain strings and ${path.module}/ paths relative to the module folder', () => {
    const text = [
      'module "network" {',
      '  source = "../modules/network"',
      '}',
      'data "kustomization_build" "base" {',
      '  path = "../../kustomize/base/"',
      '}',
      'resource "x" "ns" {',
      '  manifest = file("${path.module}/manifests/namespace.yaml")',
      '}',
      '',
    ].join('\n');
    const { refs, review } = extract(text);
    assert.deepEqual(review, []);
    assert.deepEqual(refs.map(({ start, end, text: t, target, base, baseRule, kind, confidence, line, column }) => ({ start, end, text: t, target, base, baseRule, kind, confidence, line, column })), [
      { start: 31, end: 49, text: '../modules/network', target: 'infrastructure/terraform/modules/network', base: 'infrastructure/terraform/cluster', baseRule: 'referrer', kind: 'terraform.path', confidence: 'probable', line: 2, column: 13 },
      { start: 99, end: 120, text: '../../kustomize/base/', target: 'infrastructure/kustomize/base', base: 'infrastructure/terraform/cluster', baseRule: 'referrer', kind: 'terraform.path', confidence: 'probable', line: 5, column: 11 },
      { start: 178, end: 202, text: 'manifests/namespace.yaml', target: 'infrastructure/terraform/cluster/manifests/namespace.yaml', base: 'infrastructure/terraform/cluster', baseRule: 'referrer', kind: 'terraform.path', confidence: 'exact', line: 8, column: 35 },
    ]);
    for (const ref of refs) assert.equal(text.slice(ref.start, ref.end), ref.text);
  });

  it('skips comments, heredocs, remote sources and strings that do not resolve', () => {
    const text = [
      '# source = "../modules/network"',
      '// "manifests/namespace.yaml"',
      '/* "manifests" */',
      'locals {',
      '  script = <<-EOT',
      '    cat manifests/namespace.yaml "x"',
      '  EOT',
      '  remote = "git::https://github.com/org/repo//modules/network?ref=v1"',
      '  name   = "manifests"',
      '  gone   = "../modules/gone"',
      '}',
      '',
    ].join('\n');
    const { refs, review } = extract(text);
    assert.deepEqual(refs, []);
    assert.deepEqual(review, []);
  });

  it('sends other interpolations and globs to review when their static folder exists', () => {
    const text = 'a = "${path.module}/manifests/${var.name}.yaml"\nb = fileset(path.module, "manifests/*.yaml")\nc = "${var.root}/manifests/x"\nd = "nowhere/${var.x}"\n';
    const { refs, review } = extract(text);
    assert.deepEqual(refs, []);
    assert.deepEqual(review.map(({ start, end, text: t, target, line }) => ({ start, end, text: t, target, line })), [
      { start: 5, end: 46, text: '${path.module}/manifests/${var.name}.yaml', target: 'infrastructure/terraform/cluster/manifests', line: 1 },
      { start: 74, end: 90, text: 'manifests/*.yaml', target: 'infrastructure/terraform/cluster/manifests', line: 2 },
    ]);
  });

  it('finds strings nested in templates and keeps offsets with CRLF', () => {
    const text = 'x = "${file("${path.module}/manifests/namespace.yaml")}"\r\ny = "manifests/namespace.yaml"\r\n';
    const { refs } = extract(text);
    assert.deepEqual(refs.map((ref) => [ref.start, ref.end, ref.text, ref.line, ref.column, ref.confidence]), [
      [28, 52, 'manifests/namespace.yaml', 1, 29, 'exact'],
      [63, 87, 'manifests/namespace.yaml', 2, 6, 'probable'],
    ]);
  });
  it('reads a local-exec command, quoted or heredoc, as shell run in the module folder; a non-shell interpreter is left alone', () => {
    const text = [
      'resource "null_resource" "edit" {',
      '  provisioner "local-exec" {',
      '    interpreter = ["bash", "-exc"]',
      '    command     = "sed -i \\"s/X/${var.host}/g\\" ../../kustomize/base/kustomization.yaml"',
      '  }',
      '  provisioner "local-exec" {',
      '    command = <<-EOT',
      '      kubectl apply -f manifests/namespace.yaml',
      '    EOT',
      '  }',
      '  provisioner "local-exec" {',
      '    interpreter = ["PowerShell", "-Command"]',
      '    command     = "Get-Content manifests/namespace.yaml"',
      '  }',
      '}',
      '',
    ].join('\n');
    const { refs } = extract(text);
    assert.deepEqual(refs.map((ref) => [ref.line, ref.text, ref.target, ref.kind, ref.base]), [
      [4, '../../kustomize/base/kustomization.yaml', 'infrastructure/kustomize/base/kustomization.yaml', 'terraform.command.path', 'infrastructure/terraform/cluster'],
      [8, 'manifests/namespace.yaml', 'infrastructure/terraform/cluster/manifests/namespace.yaml', 'terraform.command.path', 'infrastructure/terraform/cluster'],
    ]);
    for (const ref of refs) assert.equal(text.slice(ref.start, ref.end), ref.text);
  });
});
