// Loads RuleSet files from rules directories: rules/<decision point>/*.yaml. Every document is checked
// against the published JSON Schema (rules/ruleset.schema.json) and then against its decision point's
// facts and events, and all problems are reported at once with file, line and field path. Directories
// are layered: a RuleSet in a later directory replaces the one of the same name at the same decision
// point, so an alternative policy needs only the files it changes.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import { parseYamlDocuments, type YamlDocument, YamlSyntaxError } from '../api/yaml-source';
import type { AnyDecisionPoint } from './decision-point';
import { fieldPath, pointerSegments, RuleLoadError, type RuleProblem } from './problems';
import { templatePlaceholders } from './templates';
import type { Condition, LoadedRule, LoadedRuleSet, RuleSetDocument } from './types';

/** The rules shipped with kubespec: Kubernetes' defaults. */
export const DEFAULT_RULES_DIR = resolve(__dirname, '../../rules');
export const RULESET_SCHEMA_FILE = join(DEFAULT_RULES_DIR, 'ruleset.schema.json');

const OPERATORS = new Set([
  'equal',
  'notEqual',
  'in',
  'notIn',
  'contains',
  'doesNotContain',
  'lessThan',
  'lessThanInclusive',
  'greaterThan',
  'greaterThanInclusive',
]);

export interface RuleSource {
  /** Shown in errors: a path relative to the working directory, or a label such as `scenario docstring`. */
  file: string;
  text: string;
  /** The decision point the file's directory names, when it comes from a rules directory. */
  directoryPoint?: string;
}

export class RuleLoader {
  // verbose: errors carry the offending value (`data`), which the operator, path and name messages quote.
  private readonly ajv = new Ajv2020({ allErrors: true, strict: false, verbose: true });
  private readonly validateRuleSet: ValidateFunction;
  private readonly paramValidators = new Map<object, ValidateFunction>();
  private readonly pathPattern: RegExp;

  constructor(private readonly points: ReadonlyMap<string, AnyDecisionPoint>) {
    const schema = JSON.parse(readFileSync(RULESET_SCHEMA_FILE, 'utf8'));
    this.validateRuleSet = this.ajv.compile(schema);
    this.pathPattern = new RegExp(schema.$defs.path.pattern);
  }

  /** Reads every rule file of the directories, later directories overriding earlier ones by name. */
  loadDirectories(dirs: readonly string[]): LoadedRuleSet[] {
    const problems: RuleProblem[] = [];
    const layers: LoadedRuleSet[][] = [];
    for (const dir of dirs) {
      const sources = this.readDirectory(dir, problems);
      layers.push(this.parseSources(sources, problems));
    }
    if (problems.length > 0) throw new RuleLoadError(problems);
    return layerRuleSets(layers);
  }

  /** Parses rule sets given as text (a scenario's docstring); they are layered over `base`. */
  loadText(base: readonly LoadedRuleSet[], source: RuleSource): LoadedRuleSet[] {
    const problems: RuleProblem[] = [];
    const sets = this.parseSources([source], problems);
    if (problems.length > 0) throw new RuleLoadError(problems);
    return layerRuleSets([[...base], sets]);
  }

  private readDirectory(dir: string, problems: RuleProblem[]): RuleSource[] {
    const shown = relative(process.cwd(), dir) || '.';
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      problems.push({ file: shown, line: 0, path: '', message: 'rules directory not found' });
      return [];
    }
    const sources: RuleSource[] = [];
    for (const entry of readdirSync(dir).sort()) {
      const sub = join(dir, entry);
      if (!statSync(sub).isDirectory()) continue;
      if (!this.points.has(entry)) {
        problems.push({
          file: relative(process.cwd(), sub),
          line: 0,
          path: '',
          message: `unknown decision point "${entry}" (known: ${[...this.points.keys()].sort().join(', ')})`,
        });
        continue;
      }
      for (const file of readdirSync(sub).sort()) {
        if (!/\.ya?ml$/.test(file)) continue;
        const path = join(sub, file);
        sources.push({
          file: relative(process.cwd(), path),
          text: readFileSync(path, 'utf8'),
          directoryPoint: entry,
        });
      }
    }
    return sources;
  }

  private parseSources(sources: readonly RuleSource[], problems: RuleProblem[]): LoadedRuleSet[] {
    const sets: LoadedRuleSet[] = [];
    const seen = new Map<string, string>();
    for (const source of sources) {
      let documents: YamlDocument[];
      try {
        documents = parseYamlDocuments(source.text, source.file);
      } catch (error) {
        if (!(error instanceof YamlSyntaxError)) throw error;
        problems.push({
          file: source.file,
          line: error.line,
          path: '',
          message: `invalid YAML: ${error.reason}`,
        });
        continue;
      }
      for (const doc of documents) {
        if (doc.value === null || doc.value === undefined) continue;
        const before = problems.length;
        const set = this.checkDocument(source, doc, problems);
        if (!set || problems.length > before) continue;
        const key = `${set.decisionPoint}/${set.name}`;
        const previous = seen.get(key);
        if (previous) {
          problems.push({
            file: source.file,
            line: doc.lineOf(['metadata', 'name']),
            path: 'metadata.name',
            message: `RuleSet "${set.name}" is defined twice for ${set.decisionPoint} (also in ${previous})`,
          });
          continue;
        }
        seen.set(key, source.file);
        sets.push(set);
      }
    }
    return sets;
  }

  private checkDocument(
    source: RuleSource,
    doc: YamlDocument,
    problems: RuleProblem[],
  ): LoadedRuleSet | undefined {
    const at = (segments: (string | number)[], message: string) =>
      problems.push({ file: source.file, line: doc.lineOf(segments), path: fieldPath(segments), message });

    if (!this.validateRuleSet(doc.value)) {
      for (const e of schemaErrors(this.validateRuleSet.errors ?? [])) at(e.segments, e.message);
      return undefined;
    }
    const ruleSet = doc.value as RuleSetDocument;
    const pointName = ruleSet.spec.decisionPoint;
    const point = this.points.get(pointName);
    if (!point) {
      at(
        ['spec', 'decisionPoint'],
        `unknown decision point "${pointName}" (known: ${[...this.points.keys()].sort().join(', ')})`,
      );
      return undefined;
    }
    if (source.directoryPoint && source.directoryPoint !== pointName) {
      at(
        ['spec', 'decisionPoint'],
        `is "${pointName}" but the file is in the directory of ${source.directoryPoint}`,
      );
    }
    const rules: LoadedRule[] = [];
    const names = new Set<string>();
    ruleSet.spec.rules.forEach((rule, i) => {
      const base = ['spec', 'rules', i];
      if (names.has(rule.name)) at([...base, 'name'], `duplicate rule name "${rule.name}"`);
      names.add(rule.name);
      this.checkConditionTree(point, rule.conditions as Condition, [...base, 'conditions'], at);
      const eventDef = Object.hasOwn(point.events, rule.event.type)
        ? point.events[rule.event.type]
        : undefined;
      if (!eventDef) {
        at(
          [...base, 'event', 'type'],
          `unsupported event type "${rule.event.type}" for ${pointName} (supported: ${Object.keys(point.events).join(', ')})`,
        );
      } else {
        this.checkEventParams(
          point,
          eventDef.params,
          rule.event.params ?? {},
          [...base, 'event', 'params'],
          at,
        );
      }
      rules.push({
        ruleSet: ruleSet.metadata.name,
        name: rule.name,
        priority: rule.priority ?? ruleSet.spec.priority ?? 1,
        order: i,
        file: source.file,
        line: doc.lineOf(base),
        conditions: rule.conditions,
        event: { type: rule.event.type, params: rule.event.params ?? {} },
      });
    });
    return {
      name: ruleSet.metadata.name,
      decisionPoint: pointName,
      description: ruleSet.metadata.description,
      source: ruleSet.metadata.source,
      file: source.file,
      line: doc.line,
      rules,
    };
  }

  private checkConditionTree(
    point: AnyDecisionPoint,
    condition: Condition,
    segments: (string | number)[],
    at: (segments: (string | number)[], message: string) => void,
  ): void {
    if ('all' in condition) {
      for (const [i, c] of condition.all.entries())
        this.checkConditionTree(point, c, [...segments, 'all', i], at);
    } else if ('any' in condition) {
      for (const [i, c] of condition.any.entries())
        this.checkConditionTree(point, c, [...segments, 'any', i], at);
    } else if ('not' in condition) this.checkConditionTree(point, condition.not, [...segments, 'not'], at);
    else {
      this.checkFactReference(point, condition, segments, at);
      const base = condition.operator.split(':').pop() ?? '';
      if (!OPERATORS.has(base)) at([...segments, 'operator'], `unknown operator "${condition.operator}"`);
      if (isFactReference(condition.value))
        this.checkFactReference(point, condition.value, [...segments, 'value'], at);
    }
  }

  private checkFactReference(
    point: AnyDecisionPoint,
    ref: { fact: string; params?: Record<string, unknown>; path?: unknown },
    segments: (string | number)[],
    at: (segments: (string | number)[], message: string) => void,
  ): void {
    // The schema checks a condition's own path, not the path of a fact reference in a value or event param.
    if (ref.path !== undefined && (typeof ref.path !== 'string' || !this.pathPattern.test(ref.path)))
      at([...segments, 'path'], unsupportedPath(ref.path));
    // Own properties only: `toString` is no fact, whatever the facts object inherits.
    const fact = Object.hasOwn(point.facts, ref.fact) ? point.facts[ref.fact] : undefined;
    if (!fact) {
      at(
        [...segments, 'fact'],
        `unknown fact "${ref.fact}" for ${point.name} (facts: ${Object.keys(point.facts).sort().join(', ')})`,
      );
      return;
    }
    if (ref.params !== undefined && !fact.params) {
      at([...segments, 'params'], `fact "${ref.fact}" takes no params`);
      return;
    }
    if (fact.params) {
      const validate = this.validatorFor(fact.params);
      if (!validate(ref.params ?? {})) {
        for (const e of schemaErrors(validate.errors ?? []))
          at([...segments, 'params', ...e.segments], e.message);
      }
    }
  }

  private checkEventParams(
    point: AnyDecisionPoint,
    schema: object,
    params: Record<string, unknown>,
    segments: (string | number)[],
    at: (segments: (string | number)[], message: string) => void,
  ): void {
    // Fact references are resolved at evaluation time; check them here and validate the rest literally.
    const literal: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(params)) {
      if (isFactReference(value)) this.checkFactReference(point, value, [...segments, key], at);
      else literal[key] = value;
    }
    const validate = this.validatorFor(schema);
    if (!validate(literal)) {
      for (const e of schemaErrors(validate.errors ?? [])) {
        const missingButReferenced =
          e.keyword === 'required' && e.missing !== undefined && e.missing in params;
        if (!missingButReferenced) at([...segments, ...e.segments], e.message);
      }
    }
    for (const [key, value] of Object.entries(params)) {
      if (typeof value !== 'string') continue;
      for (const name of templatePlaceholders(value)) {
        if (!(name in params))
          at([...segments, key], `template refers to "{{ ${name} }}" but the event has no param "${name}"`);
      }
    }
  }

  private validatorFor(schema: object): ValidateFunction {
    let validate = this.paramValidators.get(schema);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.paramValidators.set(schema, validate);
    }
    return validate;
  }
}

/** json-rules-engine's almanac.getValue test: any object with an own `fact` is a reference, `{fact: 5}` too. */
export function isFactReference(
  value: unknown,
): value is { fact: string; params?: Record<string, unknown>; path?: string } {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, 'fact');
}

interface SchemaProblem {
  segments: (string | number)[];
  message: string;
  keyword: string;
  missing?: string;
}

/** Turns ajv's errors into one readable message per field; `oneOf` noise becomes one sentence. */
function schemaErrors(errors: readonly ErrorObject[]): SchemaProblem[] {
  const oneOfPaths = new Set(errors.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath));
  const out: SchemaProblem[] = [];
  const seen = new Set<string>();
  const push = (p: SchemaProblem) => {
    const key = `${p.segments.join('/')}\0${p.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(p);
    }
  };
  for (const e of errors) {
    const fromOneOfBranch = e.schemaPath.includes('/oneOf/') && oneOfPaths.has(e.instancePath);
    if (e.keyword === 'oneOf' || fromOneOfBranch) continue;
    const segments = pointerSegments(e.instancePath);
    switch (e.keyword) {
      case 'required': {
        const missing = (e.params as { missingProperty: string }).missingProperty;
        push({ segments: [...segments, missing], message: 'Required value', keyword: e.keyword, missing });
        break;
      }
      case 'additionalProperties': {
        const extra = (e.params as { additionalProperty: string }).additionalProperty;
        push({ segments: [...segments, extra], message: `unknown field "${extra}"`, keyword: e.keyword });
        break;
      }
      case 'const':
        push({
          segments,
          message: `must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`,
          keyword: e.keyword,
        });
        break;
      case 'enum':
        push({
          segments,
          message: `must be one of ${((e.params as { allowedValues: unknown[] }).allowedValues ?? []).map((v) => JSON.stringify(v)).join(', ')}`,
          keyword: e.keyword,
        });
        break;
      case 'pattern':
        push({ segments, message: patternMessage(segments, e), keyword: e.keyword });
        break;
      default:
        push({ segments, message: e.message ?? e.keyword, keyword: e.keyword });
    }
  }
  for (const path of oneOfPaths) {
    if (out.some((p) => `/${p.segments.join('/')}`.startsWith(path || '/'))) continue;
    const segments = pointerSegments(path);
    const inRuleConditions = segments[segments.length - 1] === 'conditions';
    push({
      segments,
      message: inRuleConditions
        ? 'must have exactly one of "all", "any" or "not"'
        : 'a condition must have exactly one of "all", "any", "not", or "fact" with "operator" and "value"',
      keyword: 'oneOf',
    });
  }
  return out;
}

function patternMessage(segments: readonly (string | number)[], e: ErrorObject): string {
  const last = segments[segments.length - 1];
  if (last === 'operator') {
    return `unknown operator ${JSON.stringify(e.data)}: use one of ${[...OPERATORS].join(', ')}, optionally prefixed by decorators (not:, someFact:, everyFact:, someValue:, everyValue:, swap:)`;
  }
  if (last === 'path') return unsupportedPath(e.data);
  if (last === 'name') return `invalid name ${JSON.stringify(e.data)}: lower-case letters, digits and '-'`;
  return `must match ${(e.params as { pattern: string }).pattern}`;
}

function unsupportedPath(path: unknown): string {
  return `unsupported path ${JSON.stringify(path)}: use $.field, $.a.b or $.list[0]`;
}

/** Later layers replace earlier rule sets of the same name at the same decision point. */
function layerRuleSets(layers: readonly LoadedRuleSet[][]): LoadedRuleSet[] {
  const byKey = new Map<string, LoadedRuleSet>();
  for (const layer of layers) for (const set of layer) byKey.set(`${set.decisionPoint}/${set.name}`, set);
  return [...byKey.values()];
}
