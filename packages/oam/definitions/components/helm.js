const SOURCE_KIND = { helm: 'HelmRepository', git: 'GitRepository', oss: 'Bucket', oci: 'OCIRepository' };
export function render({ parameter: p, context }) {
  const sourceName = `${context.name}-${p.repoType}`;
  const spec = { interval: p.pullInterval, url: p.url };
  if (p.secretRef) spec.secretRef = { name: p.secretRef };
  if (p.timeout) spec.timeout = p.timeout;
  if (p.repoType === 'git') spec.ref = { branch: (p.git || {}).branch || 'master' };
  if (p.repoType === 'oss') { spec.endpoint = p.url; delete spec.url; spec.bucketName = (p.oss || {}).bucketName; spec.provider = (p.oss || {}).provider || 'generic'; if ((p.oss || {}).region) spec.region = p.oss.region; }
  if (p.repoType === 'oci') { spec.ref = { semver: p.version }; }
  const output = { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: SOURCE_KIND[p.repoType], metadata: { name: sourceName }, spec };
  const chartSpec = { chart: p.chart, version: p.version, sourceRef: { kind: SOURCE_KIND[p.repoType], name: sourceName }, interval: p.interval };
  if (p.valuesFiles) chartSpec.valuesFiles = p.valuesFiles;
  const relSpec = { interval: p.interval, install: { timeout: p.installTimeout, crds: p.upgradeCRD ? 'CreateReplace' : 'Create' }, upgrade: { crds: p.upgradeCRD ? 'CreateReplace' : 'Skip' } };
  if (p.repoType === 'oci') relSpec.chartRef = { kind: 'OCIRepository', name: sourceName };
  else relSpec.chart = { spec: chartSpec };
  if (p.retries !== undefined) { relSpec.install.remediation = { retries: p.retries }; relSpec.upgrade.remediation = { retries: p.retries }; }
  if (p.targetNamespace) relSpec.targetNamespace = p.targetNamespace;
  if (p.releaseName) relSpec.releaseName = p.releaseName;
  if (p.values) relSpec.values = p.values;
  if (p.valuesFrom) relSpec.valuesFrom = p.valuesFrom;
  if (p.serviceAccountName) relSpec.serviceAccountName = p.serviceAccountName;
  const release = { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: context.name }, spec: relSpec };
  return { output, outputs: { release } };
}
