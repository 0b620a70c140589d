// The options `simulate` and `explain` share: they shape the simulated cluster (ClusterOptions) and how
// long it runs. Each value is checked as it is parsed, so a mistake is one line naming the option.
import { isIPv4, isIPv6 } from 'node:net';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { invalid } from '../api/field-errors';
import type { ClusterOptions } from '../cluster';
import { DEFAULT_CLUSTER_CIDR } from '../controllers/node-ipam';
import { DEFAULT_SERVICE_CIDR } from '../network/service-allocators';
import { ipToNumber, numberToIp } from '../node/pod-ips';
import { DEFAULT_RULES_DIR } from '../rules/loader';
import type { EngineKind } from '../rules/types';
import { parseDuration } from '../sim/clock';
import { DEFAULT_KUBERNETES_VERSION, parseKubernetesVersion } from '../sim/version';

export interface SimulationOptions {
  rules: string[];
  for: number;
  seed: number;
  kubernetesVersion: string;
  engine: EngineKind;
  percentageOfNodesToScore: number;
  clusterCidr: string;
  serviceCidr: string;
}

export const ENGINES: readonly EngineKind[] = ['compiled', 'json-rules-engine'];

/** Adds the cluster-shaping options to a command. */
export function addSimulationOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--rules <dir>',
        'rules directory layered over the shipped rules/: its RuleSets replace those of the same name and decision point (repeatable; later ones win)',
      )
        .argParser((dir: string, previous: string[]) => [...previous, dir])
        .default([], 'the shipped rules only'),
    )
    .addOption(
      new Option('--for <duration>', 'how long simulated time runs after the manifests are applied')
        .argParser(durationArgument)
        .default(0, '0s'),
    )
    .addOption(
      new Option(
        '--seed <n>',
        'seed of every random choice (tie-breaks between equal nodes, generated names)',
      )
        .argParser(seedArgument)
        .default(1),
    )
    .addOption(
      new Option('--kubernetes-version <version>', 'the Kubernetes release the cluster behaves as')
        .argParser(versionArgument)
        .default(DEFAULT_KUBERNETES_VERSION),
    )
    .addOption(
      new Option('--engine <engine>', 'the rules engine that evaluates the rule files')
        .choices(ENGINES)
        .default('compiled'),
    )
    .addOption(
      new Option(
        '--percentage-of-nodes-to-score <percent>',
        "kube-scheduler's percentageOfNodesToScore (0: adaptive, kube-scheduler's default)",
      )
        .argParser(percentageArgument)
        .default(0),
    )
    .addOption(
      new Option('--cluster-cidr <cidr>', 'the pod network; each node gets a /24 of it')
        .argParser(clusterCidrArgument)
        .default(DEFAULT_CLUSTER_CIDR),
    )
    .addOption(
      new Option(
        '--service-cidr <cidr>',
        'the Service network (kube-apiserver --service-cluster-ip-range); the kubernetes Service gets its first address',
      )
        .argParser(serviceCidrArgument)
        .default(DEFAULT_SERVICE_CIDR),
    );
}

export function clusterOptions(options: SimulationOptions, trace: boolean): ClusterOptions {
  return {
    rulesDirs: [DEFAULT_RULES_DIR, ...options.rules],
    engine: options.engine,
    seed: options.seed,
    kubernetesVersion: options.kubernetesVersion,
    trace,
    percentageOfNodesToScore: options.percentageOfNodesToScore,
    clusterCIDR: options.clusterCidr,
    serviceCIDR: options.serviceCidr,
  };
}

function durationArgument(text: string): number {
  try {
    return parseDuration(text);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

function versionArgument(text: string): string {
  try {
    parseKubernetesVersion(text);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
  return text;
}

function seedArgument(text: string): number {
  const seed = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(seed))
    throw new InvalidArgumentError('the seed must be a non-negative integer');
  return seed;
}

function percentageArgument(text: string): number {
  const value = Number(text);
  if (!/^-?\d+$/.test(text.trim())) throw new InvalidArgumentError('must be an integer');
  // k8s:pkg/scheduler/apis/config/validation/validation.go ValidateKubeSchedulerConfiguration
  if (value < 0 || value > 100)
    throw new InvalidArgumentError(
      invalid('percentageOfNodesToScore', value, 'not in valid range [0-100]').toString(),
    );
  return value;
}

/** Returns the network address: like Go's net.ParseCIDR, host bits given in the address are dropped. */
export function clusterCidrArgument(text: string): string {
  const { address, bits } = ipv4Cidr(text, 'the simulated node IPAM allocates IPv4 pod addresses only');
  // k8s:pkg/controller/nodeipam/node_ipam_controller.go NewNodeIpamController, node-cidr-mask-size 24
  if (bits > 24)
    throw new InvalidArgumentError(
      'Controller: Invalid --cluster-cidr, mask size of cluster CIDR must be less than or equal to --node-cidr-mask-size configured for CIDR family',
    );
  return networkOf(address, bits);
}

export function serviceCidrArgument(text: string): string {
  const { address, bits } = ipv4Cidr(text, 'the simulated Service network allocates IPv4 addresses only');
  // k8s:pkg/controlplane/apiserver/options/validation.go validateClusterIPFlags: at most 2^20 addresses.
  if (bits < 12)
    throw new InvalidArgumentError(
      'specified --service-cluster-ip-range is too large; for 32-bit addresses, the mask must be >= 12',
    );
  return networkOf(address, bits);
}

function ipv4Cidr(text: string, ipv6Message: string): { address: string; bits: number } {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(text);
  const bits = m ? Number(m[2]) : Number.NaN;
  if (m && isIPv6(m[1]) && bits <= 128) throw new InvalidArgumentError(ipv6Message);
  // Go's net.ParseCIDR error (go:src/net/ip.go ParseCIDR)
  if (!m || !isIPv4(m[1]) || bits > 32) throw new InvalidArgumentError(`invalid CIDR address: ${text}`);
  return { address: m[1], bits };
}

function networkOf(address: string, bits: number): string {
  const block = 2 ** (32 - bits);
  return `${numberToIp(Math.floor(ipToNumber(address) / block) * block)}/${bits}`;
}
