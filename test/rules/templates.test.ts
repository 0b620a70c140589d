import { expect } from 'chai';
import { expandTemplate, hasTemplate, templatePlaceholders } from '../../src/rules/templates';

describe('templates', () => {
  describe('templatePlaceholders', () => {
    it('names every placeholder in order, with or without spaces inside the braces', () => {
      expect(templatePlaceholders('{{ a }} and {{b}} and {{  c_1 }} and {{ a }}')).to.deep.equal([
        'a',
        'b',
        'c_1',
        'a',
      ]);
    });

    it('ignores what is not a placeholder: single braces, empty braces, dotted names', () => {
      expect(templatePlaceholders('{dedicated: gpu} {{ }} {{ a.b }} {{ 1a }}')).to.deep.equal([]);
    });
  });

  describe('hasTemplate', () => {
    it('is true only for strings with a placeholder', () => {
      expect(hasTemplate('Insufficient {{ resource }}')).to.equal(true);
      expect(hasTemplate('Insufficient cpu')).to.equal(false);
      expect(hasTemplate({ fact: 'x' })).to.equal(false);
      expect(hasTemplate(['{{ x }}'])).to.equal(false);
    });
  });

  describe('expandTemplate', () => {
    it('substitutes scalar params as text', () => {
      expect(
        expandTemplate('{{ n }} of {{ total }} nodes, ready={{ ok }}', { n: 3, total: 5, ok: false }),
      ).to.deep.equal(['3 of 5 nodes, ready=false']);
    });

    it('renders null and missing params as empty text and objects as JSON', () => {
      expect(expandTemplate('[{{ a }}][{{ b }}][{{ c }}]', { a: null, c: { key: 'v' } })).to.deep.equal([
        '[][][{"key":"v"}]',
      ]);
    });

    it('expands one string per item of a list param', () => {
      expect(
        expandTemplate('Insufficient {{ resource }} on {{ node }}', {
          resource: ['nvidia.com/gpu', 'example.com/foo'],
          node: 'n1',
        }),
      ).to.deep.equal(['Insufficient nvidia.com/gpu on n1', 'Insufficient example.com/foo on n1']);
    });

    it('gives no strings for an empty list', () => {
      expect(expandTemplate('Insufficient {{ resource }}', { resource: [] })).to.deep.equal([]);
    });

    it('iterates the first list placeholder only; a second list is rendered whole, as JSON', () => {
      expect(expandTemplate('{{ a }}/{{ b }}', { a: [1, 2], b: ['x', 'y'] })).to.deep.equal([
        '1/["x","y"]',
        '2/["x","y"]',
      ]);
    });

    it('leaves text without placeholders as it is', () => {
      expect(expandTemplate('Too many pods', {})).to.deep.equal(['Too many pods']);
    });
  });
});
