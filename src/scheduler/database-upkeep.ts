import type { Database } from "../db/database.js";
import { dailySlot, type Job } from "../core/kernel/job.js";

/**
 * Nightly upkeep for the embedded database, which PostgreSQL's own autovacuum does on a server: PGlite runs
 * PostgreSQL as a single process with no background workers, so without this nothing would ever
 * - refresh the planner's statistics: every table would stay "never analysed", and the planner would guess
 *   at how many rows a condition matches (it has chosen to read a network's every member that way), or
 * - reclaim the room left by updated and deleted rows in tables and their indexes (deliveries, tallies,
 *   addresses), so the data directory and its backups would only grow.
 *
 * It runs at 04:00 in the network's time zone, after the 03:30 retention job has deleted what is due, and
 * catches up on start if the bot was down then. The embedded database serves one statement at a time, so
 * requests wait while it runs: 0.7 to 1 s for the half-million updates and 50,000 members `npm run bench:insights`
 * loads (measured 2026-12-06), far less for a regional network's year. None on PostgreSQL.
 */
export function databaseUpkeepJobs(db: Pick<Database, "kind" | "prisma">): Job[] {
  if (db.kind !== "pglite") return [];
  return [
    {
      id: "embedded-database-upkeep",
      cron: "0 4 * * *",
      slot: dailySlot,
      async run() {
        const started = performance.now();
        await db.prisma.$executeRawUnsafe("VACUUM (ANALYZE)");
        return `vacuumed and analysed the embedded database in ${Math.round(performance.now() - started)} ms`;
      },
    },
  ];
}
