import { perms } from '@sreworks/kernel';

/** Permissions of the AIOps routes: reading recorded runs, running algorithms. */
export const aiopsPermissions = perms('aiops', 'team', {
  read: 'See AIOps runs and their results',
  run: 'Run AIOps algorithms (log templates, anomalies, periods, forecasts, root causes)',
});
