/**
 * A tagged template that runs one statement on the database driver itself (`pg`'s pool, or PGlite),
 * for the few statements on the interactive path: every `/ti update` and every button press. Prisma's
 * client costs about 0.5 ms of CPU per raw statement before the driver is reached (bench/README.md,
 * bench:ack); elsewhere its typed queries are worth that.
 *
 * Values are passed as parameters, never spliced in. Two rules keep the rows the same on both drivers:
 * - a `Date` is sent as its ISO string, which a `timestamp` column takes as the UTC time it is (pg would
 *   otherwise send the machine's local time);
 * - a statement returns an instant as `timestamptz` (`"at" AT TIME ZONE 'UTC'`), so both drivers hand back
 *   the same `Date`; a plain `timestamp` would be read in the machine's time zone.
 *
 * @example
 * const [row] = await ctx.sql<{ id: string }>`SELECT "id" FROM "Member" WHERE "id" = ${memberId}`;
 */
export type Sql = <Row>(strings: TemplateStringsArray, ...values: unknown[]) => Promise<Row[]>;

/**
 * What a driver must do: run a statement with positional parameters and return its rows. `name` is the
 * same for every run of one statement, so a driver may keep it prepared (pg does, per connection, and
 * PGlite does in pglite-statements.ts).
 */
export type RunStatement = (statement: { name: string; text: string; values: unknown[] }) => Promise<unknown[]>;

let statementsMade = 0;

export function createSql(run: RunStatement): Sql {
  // A template's strings are the same array each time the same line runs, so its text is built once.
  const statements = new WeakMap<TemplateStringsArray, { name: string; text: string }>();
  return async <Row>(strings: TemplateStringsArray, ...values: unknown[]) => {
    let statement = statements.get(strings);
    if (statement === undefined) {
      statement = { name: `ti_sql_${statementsMade++}`, text: strings.reduce((built, part, index) => `${built}$${index}${part}`) };
      statements.set(strings, statement);
    }
    return (await run({ ...statement, values: values.map(parameter) })) as Row[];
  };
}

function parameter(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value;
}
