// daemon: the helpers (container, volumes, podTemplate, exposeService) come from _pod.js.
export function render({ parameter, context }) {
  const output = { apiVersion: 'apps/v1', kind: 'DaemonSet', spec: { selector: { matchLabels: { 'app.oam.dev/component': context.name } }, template: podTemplate(parameter, context) } };
  const svc = exposeService(parameter, context, false);
  return { output, outputs: svc ? { daemonExpose: svc } : {} };
}
