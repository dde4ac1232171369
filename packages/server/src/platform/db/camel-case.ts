import { CamelCasePlugin, type UnknownRow } from 'kysely';

/** Past this many distinct names (the schema's columns and the code's aliases are far fewer) names are not kept. */
const MAX_NAMES = 10_000;

function remembered(convert: (name: string) => string): (name: string) => string {
  const known = new Map<string, string>();
  return (name) => {
    let out = known.get(name);
    if (out === undefined) {
      out = convert(name);
      if (known.size < MAX_NAMES) known.set(name, out);
    }
    return out;
  };
}

/**
 * Kysely's camelCase plugin (code speaks camelCase, tables are snake_case) with each name converted once:
 * the plugin rebuilds every column name of every row it reads, character by character, and that garbage was
 * a visible share of a busy server's allocations (docs/performance.md). Also maps a row read without Kysely
 * (compiled-query.ts runs SQLite's hot statements directly) exactly as the plugin would.
 */
export class CamelCase extends CamelCasePlugin {
  #camel = remembered((name) => super.camelCase(name));
  #snake = remembered((name) => super.snakeCase(name));

  protected override camelCase(name: string): string {
    return this.#camel(name);
  }

  protected override snakeCase(name: string): string {
    return this.#snake(name);
  }

  /**
   * A SQLite row as Kysely would return it: keys in camelCase. A row whose names are camelCase already (`n`,
   * `id`, an alias) is returned as it is, not copied: SQLite's values are never objects to map inside.
   */
  row(row: UnknownRow): UnknownRow {
    for (const name in row) if (this.#camel(name) !== name) return this.mapRow(row);
    return row;
  }
}
