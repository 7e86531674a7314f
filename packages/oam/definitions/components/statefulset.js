// statefulset: the helpers (container, volumes, podTemplate, exposeService) come from _pod.js.
export function render({ parameter, context }) {
  const output = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    spec: {
      serviceName: context.name,
      replicas: parameter.replicas,
      selector: { matchLabels: { 'app.oam.dev/component': context.name } },
      template: podTemplate(parameter, context),
      ...(parameter.volumeClaimTemplates ? { volumeClaimTemplates: parameter.volumeClaimTemplates } : {}),
    },
  };
  // A StatefulSet needs its governing headless Service; ports with expose=true also get a normal one.
  const headless = exposeService({ ...parameter, ports: parameter.ports || [] }, context, true) || { apiVersion: 'v1', kind: 'Service', metadata: { name: context.name }, spec: { clusterIP: 'None', selector: { 'app.oam.dev/component': context.name }, ports: [{ port: 80, name: 'placeholder' }] } };
  const outputs = { headless };
  const svc = exposeService(parameter, context, false);
  if (svc) { svc.metadata.name = `${context.name}-expose`; outputs.statefulsetExpose = svc; }
  return { output, outputs };
}
