// KubeVela fluxcd addon semantics: output = the HelmRelease, outputs.repo = its source (unless an
// existing source is named). API versions are Flux's current ones (helm.toolkit.fluxcd.io/v2,
// source.toolkit.fluxcd.io/v1); the addon's v2beta1/v1beta2 were removed in Flux 2.3.
const SOURCE_KIND = { helm: 'HelmRepository', oci: 'HelmRepository', git: 'GitRepository', oss: 'Bucket' };
export function render({ parameter: p, context }) {
  const common = { interval: p.pullInterval };
  if (p.timeout) common.timeout = p.timeout;
  if (p.secretRef) common.secretRef = { name: p.secretRef };
  const outputs = {};
  if (!p.sourceName) {
    let spec;
    if (p.repoType === 'git') {
      const g = p.git || {};
      const ref = {};
      for (const k of ['branch', 'commit', 'name', 'semver', 'tag']) if (g[k] !== undefined) ref[k] = g[k];
      if (!Object.keys(ref).length) ref.branch = 'main';
      spec = { url: p.url, ref, ...common };
    } else if (p.repoType === 'oss') {
      const o = p.oss || {};
      spec = { endpoint: p.url, bucketName: o.bucketName, provider: o.provider || 'generic', ...(o.region ? { region: o.region } : {}), ...common };
    } else {
      spec = { url: p.url, ...(p.repoType === 'oci' ? { type: 'oci' } : {}), ...(p.helmrepository && p.helmrepository.provider ? { provider: p.helmrepository.provider } : {}), ...common };
    }
    outputs.repo = { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: SOURCE_KIND[p.repoType], metadata: { name: context.name }, spec };
  }
  const chartSpec = { chart: p.chart, version: p.version, sourceRef: { kind: SOURCE_KIND[p.repoType], name: p.sourceName || context.name }, interval: p.interval };
  if (p.valuesFiles) chartSpec.valuesFiles = p.valuesFiles;
  const spec = { timeout: p.installTimeout, interval: p.pullInterval, chart: { spec: chartSpec } };
  if (p.targetNamespace) spec.targetNamespace = p.targetNamespace;
  if (p.releaseName) spec.releaseName = p.releaseName;
  if (p.values) spec.values = p.values;
  if (p.valuesFrom) spec.valuesFrom = p.valuesFrom;
  spec.install = { remediation: { retries: p.retries } };
  spec.upgrade = { remediation: { retries: p.retries }, ...(p.upgradeCRD ? { crds: 'CreateReplace' } : {}) };
  return { output: { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: context.name }, spec }, outputs };
}
