import { defineParameterType } from '@cucumber/cucumber';

const UNIT_MS: Record<string, number> = { second: 1000, minute: 60_000, hour: 3_600_000 };

// "30 seconds", "1 minute", "2 hours".
defineParameterType({
  name: 'duration',
  regexp: /\d+ (?:seconds?|minutes?|hours?)/,
  transformer: (text: string) => {
    const [count, unit] = text.split(' ');
    return Number(count) * UNIT_MS[unit.replace(/s$/, '')];
  },
});

// Kinds as kubectl takes them: pod, node, namespace, ...
defineParameterType({
  name: 'kind',
  regexp: /[a-z]+/,
  transformer: (text: string) => text,
});
