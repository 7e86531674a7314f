// Helpers shared by webservice, worker, daemon, statefulset, task and cron-task: the YAML of
// each lists this file before its own (`file: [_pod.js, <name>.js]`), the loader concatenates
// them, since a sandbox module has no imports. Builds the container and volumes the KubeVela way.
function container(parameter, context) {
  const c = { name: context.name, image: parameter.image };
  if (parameter.ports && parameter.ports.length) {
    c.ports = parameter.ports.map((p) => ({ containerPort: p.port, protocol: p.protocol || 'TCP', name: p.name || `port-${p.port}` }));
  } else if (parameter.port) c.ports = [{ containerPort: parameter.port }];
  if (parameter.imagePullPolicy) c.imagePullPolicy = parameter.imagePullPolicy;
  if (parameter.cmd) c.command = parameter.cmd;
  if (parameter.args) c.args = parameter.args;
  if (parameter.env) c.env = parameter.env;
  const res = {};
  if (parameter.cpu) { res.limits = { ...(res.limits || {}), cpu: parameter.cpu }; res.requests = { ...(res.requests || {}), cpu: parameter.cpu }; }
  if (parameter.memory) { res.limits = { ...(res.limits || {}), memory: parameter.memory }; res.requests = { ...(res.requests || {}), memory: parameter.memory }; }
  if (parameter.limit) { res.limits = { ...(res.limits || {}), ...parameter.limit }; }
  if (Object.keys(res).length) c.resources = res;
  const vm = parameter.volumeMounts || {};
  const mounts = [];
  // deprecated `volumes` form: mounts from the list when volumeMounts is absent
  if (parameter.volumes && !parameter.volumeMounts) for (const v of parameter.volumes) mounts.push({ mountPath: v.mountPath, name: v.name });
  for (const t of ['pvc', 'configMap', 'secret', 'emptyDir', 'hostPath'])
    for (const v of vm[t] || []) mounts.push(v.subPath ? { name: v.name, mountPath: v.mountPath, subPath: v.subPath } : { name: v.name, mountPath: v.mountPath });
  if (mounts.length) c.volumeMounts = mounts;
  if (parameter.livenessProbe) c.livenessProbe = parameter.livenessProbe;
  if (parameter.readinessProbe) c.readinessProbe = parameter.readinessProbe;
  return c;
}
function volumes(parameter) {
  const vm = parameter.volumeMounts || {};
  const out = [];
  if (parameter.volumes && !parameter.volumeMounts) {
    for (const v of parameter.volumes) {
      const vol = { name: v.name };
      if (v.type === 'pvc') vol.persistentVolumeClaim = { claimName: v.claimName };
      if (v.type === 'configMap') vol.configMap = { defaultMode: v.defaultMode, name: v.cmName, ...(v.items ? { items: v.items } : {}) };
      if (v.type === 'secret') vol.secret = { defaultMode: v.defaultMode, secretName: v.secretName, ...(v.items ? { items: v.items } : {}) };
      if (v.type === 'emptyDir') vol.emptyDir = { medium: v.medium };
      out.push(vol);
    }
    return out;
  }
  for (const v of vm.pvc || []) out.push({ name: v.name, persistentVolumeClaim: { claimName: v.claimName } });
  for (const v of vm.configMap || []) out.push({ name: v.name, configMap: { defaultMode: v.defaultMode, name: v.cmName, ...(v.items ? { items: v.items } : {}) } });
  for (const v of vm.secret || []) out.push({ name: v.name, secret: { defaultMode: v.defaultMode, secretName: v.secretName, ...(v.items ? { items: v.items } : {}) } });
  for (const v of vm.emptyDir || []) out.push({ name: v.name, emptyDir: v.medium ? { medium: v.medium } : {} });
  for (const v of vm.hostPath || []) out.push({ name: v.name, hostPath: { path: v.path } });
  return out;
}
function podTemplate(parameter, context, extraSpec) {
  const labels = { ...(parameter.labels || {}), 'app.oam.dev/name': context.appName, 'app.oam.dev/component': context.name };
  if (parameter.addRevisionLabel) labels['app.oam.dev/revision'] = context.revision;
  const spec = { containers: [container(parameter, context)], ...(extraSpec || {}) };
  if (parameter.hostAliases) spec.hostAliases = parameter.hostAliases;
  if (parameter.imagePullSecrets) spec.imagePullSecrets = parameter.imagePullSecrets.map((name) => ({ name }));
  const vols = volumes(parameter);
  if (vols.length) spec.volumes = vols;
  const metadata = { labels };
  if (parameter.annotations) metadata.annotations = parameter.annotations;
  return { metadata, spec };
}
function exposeService(parameter, context, headless) {
  const ports = (parameter.ports || []).filter((p) => p.expose || headless).map((p) => {
    const sp = { port: p.port, targetPort: p.port, name: p.name || `port-${p.port}` };
    if (p.nodePort && parameter.exposeType === 'NodePort') sp.nodePort = p.nodePort;
    return sp;
  });
  if (!ports.length) return undefined;
  const spec = { selector: { 'app.oam.dev/component': context.name }, ports, type: headless ? 'ClusterIP' : parameter.exposeType || 'ClusterIP' };
  if (headless) spec.clusterIP = 'None';
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: context.name }, spec };
}
