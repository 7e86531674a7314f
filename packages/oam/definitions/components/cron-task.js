// cron-task: the helpers (container, volumes, podTemplate, exposeService) come from _pod.js.
export function render({ parameter, context }) {
  const tpl = podTemplate(parameter, context, { restartPolicy: parameter.restart });
  const jobSpec = { parallelism: parameter.count, completions: parameter.count, backoffLimit: parameter.backoffLimit, template: tpl };
  if (parameter.activeDeadlineSeconds !== undefined) jobSpec.activeDeadlineSeconds = parameter.activeDeadlineSeconds;
  if (parameter.ttlSecondsAfterFinished !== undefined) jobSpec.ttlSecondsAfterFinished = parameter.ttlSecondsAfterFinished;
  const spec = {
    schedule: parameter.schedule,
    concurrencyPolicy: parameter.concurrencyPolicy,
    suspend: parameter.suspend,
    successfulJobsHistoryLimit: parameter.successfulJobsHistoryLimit,
    failedJobsHistoryLimit: parameter.failedJobsHistoryLimit,
    jobTemplate: { metadata: { labels: { 'app.oam.dev/name': context.appName, 'app.oam.dev/component': context.name } }, spec: jobSpec },
  };
  if (parameter.startingDeadlineSeconds !== undefined) spec.startingDeadlineSeconds = parameter.startingDeadlineSeconds;
  if (parameter.timeZone) spec.timeZone = parameter.timeZone;
  return { output: { apiVersion: 'batch/v1', kind: 'CronJob', spec } };
}
