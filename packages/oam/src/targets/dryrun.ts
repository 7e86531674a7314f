// The dry-run target: says what would change and touches nothing. With a live target it asks
// the cluster (server-side dry-run apply); without one everything is a "create".

import { toYaml, unifiedDiff } from './diff.js';
import { refText } from './errors.js';
import { checkScope, cleanObjects } from './kubernetes.js';
import { refOf } from './refs.js';
import type { ApplyScope, CustomHealth, GcOptions, GcPlan, K8sObject, LiveDiff, ObjectRef, ObjectStatus, Target, TargetCapabilities, WaitOptions } from './types.js';

export class DryRunTarget implements Target {
  readonly capabilities: TargetCapabilities = { observesHealth: false, kind: 'dry-run' };
  /** Live target consulted read-only (its apply is only ever called with dryRun). */
  constructor(private readonly live?: Target) {}

  async apply(objects: K8sObject[], scope: ApplyScope): Promise<ObjectStatus[]> {
    const diffs = await this.liveDiff(objects, scope);
    if (this.live) await this.live.apply(objects, scope, { dryRun: true }); // server-side validation and admission
    return diffs.map((d) => ({ ref: d.ref, healthy: false, phase: 'unknown', message: `dry-run: would ${d.change === 'none' ? 'leave unchanged' : d.change} ${refText(d.ref)}` }));
  }

  async health(objects: K8sObject[], scope: ApplyScope, custom?: CustomHealth): Promise<ObjectStatus[]> {
    if (this.live) return this.live.health(objects, scope, custom);
    checkScope(scope);
    return cleanObjects(objects).map((o) => ({ ref: refOf(o), healthy: false, phase: 'unknown', message: 'dry-run: no cluster to observe' }));
  }

  /** Dry-run never waits: it reports current health at once. */
  async waitHealthy(objects: K8sObject[], scope: ApplyScope, opts: WaitOptions = {}): Promise<ObjectStatus[]> {
    return this.health(objects, scope, opts.custom);
  }

  async inventory(scope: ApplyScope): Promise<ObjectRef[]> {
    return this.live ? this.live.inventory(scope) : [];
  }

  async gcPlan(scope: ApplyScope, keep: ObjectRef[], opts?: GcOptions): Promise<GcPlan> {
    return this.live ? this.live.gcPlan(scope, keep, opts) : { delete: [], retain: [], gone: [] };
  }

  /** Returns what gc would delete; deletes nothing. */
  async gc(scope: ApplyScope, keep: ObjectRef[], opts?: GcOptions): Promise<ObjectRef[]> {
    return (await this.gcPlan(scope, keep, opts)).delete;
  }

  async liveDiff(objects: K8sObject[], scope: ApplyScope): Promise<LiveDiff[]> {
    if (this.live) return this.live.liveDiff(objects, scope);
    checkScope(scope);
    return cleanObjects(objects).map((o) => ({ ref: refOf(o), change: 'create', diff: unifiedDiff('', toYaml(o), '/dev/null', refText(refOf(o))) }));
  }
}
