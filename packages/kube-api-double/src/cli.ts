// Run the double as a standalone server: `npx tsx packages/kube-api-double/src/cli.ts --help`.

import { parseArgs } from 'node:util';
import { registerCommonCrds, startKubeApiDouble } from './double.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    kubeconfig: { type: 'string' },
    'ready-after-ms': { type: 'string', default: '200' },
    'job-after-ms': { type: 'string', default: '500' },
    'no-controllers': { type: 'boolean', default: false },
    'common-crds': { type: 'boolean', default: false },
    token: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(`kube-api-double: a Kubernetes API server test double

  --port N              listen port (default: random)
  --host H              listen address (default 127.0.0.1)
  --kubeconfig PATH     write a kubeconfig for it to PATH
  --ready-after-ms N    workloads become ready after N ms (default 200)
  --job-after-ms N      Jobs finish after N ms (default 500)
  --no-controllers      no controller simulation (objects never get status)
  --common-crds         register Flux and Gateway API CRDs
  --token T             require this bearer token`);
  process.exit(0);
}

const d = await startKubeApiDouble({
  port: Number(values.port),
  host: values.host,
  token: values.token,
  controllers: values['no-controllers'] ? false : { readyAfterMs: Number(values['ready-after-ms']), jobAfterMs: Number(values['job-after-ms']) },
});
if (values['common-crds']) registerCommonCrds(d);
if (values.kubeconfig) await d.writeKubeconfig(values.kubeconfig);
console.log(JSON.stringify({ url: d.url, kubeconfig: values.kubeconfig ?? null }));
const stop = async () => {
  await d.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
