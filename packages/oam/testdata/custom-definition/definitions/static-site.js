export function render({ parameter, context }) {
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${context.name}-content` }, data: { 'index.html': parameter.content } };
  const output = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    spec: {
      selector: { matchLabels: { 'app.oam.dev/component': context.name } },
      template: {
        metadata: { labels: { 'app.oam.dev/component': context.name } },
        spec: {
          containers: [{ name: 'nginx', image: parameter.image, volumeMounts: [{ name: 'content', mountPath: '/usr/share/nginx/html' }] }],
          volumes: [{ name: 'content', configMap: { name: cm.metadata.name } }],
        },
      },
    },
  };
  return { output, outputs: { content: cm } };
}
