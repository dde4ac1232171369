import { CamelCasePlugin } from 'kysely';
import { expect, it } from 'vitest';
import { CamelCase } from './camel-case.js';

class Plain extends CamelCasePlugin {
  names(name: string) {
    return { camel: this.camelCase(name), snake: this.snakeCase(name) };
  }
}

class Remembering extends CamelCase {
  names(name: string) {
    return { camel: this.camelCase(name), snake: this.snakeCase(name) };
  }
}

it('converts names as Kysely’s plugin does, the first time and from memory', () => {
  const plain = new Plain();
  const remembering = new Remembering();
  for (const name of ['last_seq', 'org_id', 'conversationId', 'a1_b2', 'x', '', 'already_snake_case_name']) {
    expect(remembering.names(name)).toEqual(plain.names(name));
    expect(remembering.names(name)).toEqual(plain.names(name));
  }
});

it('maps a row read without Kysely to camelCase keys, values untouched', () => {
  const buf = Buffer.from('x');
  expect(new CamelCase().row({ org_id: 'o', last_seq: 3, deleted_at: null, data: buf })).toEqual({
    orgId: 'o',
    lastSeq: 3,
    deletedAt: null,
    data: buf,
  });
});

it('returns a row whose names need no change as it is, and copies one with a single snake_case name', () => {
  const naming = new CamelCase();
  const plain = { n: 3, id: 'c1', lastSeq: 2 };
  expect(naming.row(plain)).toBe(plain);
  const mixed = { id: 'c1', last_seq: 2 };
  const mapped = naming.row(mixed);
  expect(mapped).not.toBe(mixed);
  expect(mapped).toEqual({ id: 'c1', lastSeq: 2 });
  expect(mixed).toEqual({ id: 'c1', last_seq: 2 });
});
