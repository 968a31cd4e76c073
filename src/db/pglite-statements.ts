import { parse, protocol, type PGlite } from "@electric-sql/pglite";
import type { RunStatement } from "./sql.js";

type BackendMessage = Awaited<ReturnType<PGlite["execProtocol"]>>["messages"][number];

interface Prepared {
  /** The parameters' types, which choose how each value is written. */
  parameterTypes: number[];
  /** The result's columns, which `parseResults` reads the rows with (absent for a statement with no rows). */
  columns: BackendMessage | undefined;
}

/**
 * Runs `db.sql`'s statements on PGlite as named prepared statements, each parsed and described once.
 * `PGlite.query` parses, describes, binds and plans every statement afresh; inside WebAssembly that is
 * most of the work: recording an address took 0.80 to 1.15 ms that way and 0.13 to 0.17 ms prepared
 * (bench/README.md, bench:ack). It takes PGlite's own locks as `query` does, so it waits for a
 * transaction Prisma has open, and writes values and reads rows with PGlite's own serializers and parsers.
 */
export function preparedStatements(pglite: PGlite): RunStatement {
  const prepared = new Map<string, Prepared>();
  const run = (messages: Uint8Array[]) => pglite.execProtocol(concat([...messages, protocol.serialize.sync()]));

  async function prepare(name: string, text: string): Promise<Prepared> {
    const { messages } = await run([protocol.serialize.parse({ name, text }), protocol.serialize.describe({ type: "S", name })]);
    const statement = { parameterTypes: parse.parseDescribeStatementResults(messages), columns: messages.find((message) => message.name === "rowDescription") };
    prepared.set(name, statement);
    return statement;
  }

  return async ({ name, text, values }) => {
    await pglite._checkReady();
    return pglite._runExclusiveTransaction(() =>
      pglite._runExclusiveQuery(async () => {
        const statement = prepared.get(name) ?? (await prepare(name, text));
        const written = values.map((value, index) => {
          if (value === null || value === undefined) return null;
          const serializer = pglite.serializers[statement.parameterTypes[index]!];
          return serializer ? serializer(value) : String(value);
        });
        const { messages } = await run([protocol.serialize.bind({ statement: name, values: written }), protocol.serialize.execute({})]);
        const [result] = parse.parseResults(statement.columns ? [statement.columns, ...messages] : messages, pglite.parsers);
        return result?.rows ?? [];
      }),
    );
  };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}
