// task: the helpers (container, volumes, podTemplate, exposeService) come from _pod.js.
export function render({ parameter, context }) {
  const tpl = podTemplate(parameter, context, { restartPolicy: parameter.restart });
  return { output: { apiVersion: 'batch/v1', kind: 'Job', spec: { parallelism: parameter.count, completions: parameter.count, template: tpl } } };
}
