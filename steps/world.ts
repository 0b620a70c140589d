// The scenario's world: one simulated cluster per scenario, created on first use so that "Given a
// Kubernetes v1.33 cluster" and rule-set steps can shape it first.
import { resolve } from 'node:path';
import { type IWorldOptions, setWorldConstructor, World } from '@cucumber/cucumber';
import { Cluster, type ClusterOptions } from '../src/cluster';
import { DEFAULT_RULES_DIR } from '../src/rules/loader';
import type { EngineKind } from '../src/rules/types';

export class KubespecWorld extends World {
  private built: Cluster | undefined;
  readonly options: ClusterOptions & { rulesDirs: string[] } = {
    rulesDirs: [DEFAULT_RULES_DIR],
    engine: (process.env.KUBESPEC_ENGINE as EngineKind | undefined) ?? 'compiled',
    trace: true,
  };
  private readonly pendingRuleTexts: { text: string; label: string }[] = [];
  /** The error of the last "When I try to ..." step, for the Then that checks it. */
  lastError: Error | undefined;
  /** How many objects the cluster held before that step. */
  objectsBefore = 0;

  constructor(options: IWorldOptions) {
    super(options);
  }

  get created(): boolean {
    return this.built !== undefined;
  }

  async cluster(): Promise<Cluster> {
    if (!this.built) {
      this.built = await Cluster.create(this.options);
      for (const { text, label } of this.pendingRuleTexts) this.built.useRuleText(text, label);
    }
    return this.built;
  }

  /** Settings that shape the cluster must come before anything uses it. */
  configure(what: string, apply: () => void): void {
    if (this.built)
      throw new Error(`${what} must come before the cluster is used (put it first in the scenario)`);
    apply();
  }

  addRulesDirectory(dir: string): void {
    this.configure(`the rules in "${dir}"`, () => this.options.rulesDirs.push(resolve(dir)));
  }

  addRuleText(text: string, label: string): void {
    if (this.built) this.built.useRuleText(text, label);
    else this.pendingRuleTexts.push({ text, label });
  }
}

setWorldConstructor(KubespecWorld);
