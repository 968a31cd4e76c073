-- Fifty writers at once queued on the same three tally rows (the month's count for the organisation, and
-- for each principle): each insert's trigger held one until its transaction ended. On PostgreSQL 15 the
-- update's insert alone did 1,245 a second from 50 connections with the tally and 2,322 without it, and
-- under bench:ack most of the bot's busy connections were waiting on a row lock (pg_stat_activity:
-- Lock/transactionid). A count is now split over up to 16 rows ("slot"), and a new update adds to its
-- connection's one, so writers on different connections rarely meet; readers already sum the rows.
ALTER TABLE "UpdateTally" DROP CONSTRAINT "UpdateTally_pkey",
ADD COLUMN     "slot" SMALLINT NOT NULL DEFAULT 0,
ADD CONSTRAINT "UpdateTally_pkey" PRIMARY KEY ("networkId", "month", "organisationId", "principleId", "slot");

-- The connection's slot, 1 to 15: its server process id, which stays the same for the connection's life.
-- Slot 0 is left to edits, removals and recounts, which lock their rows in key order; an insert locks its
-- update's row ('' principle) first and its principles after, so two inserts never wait on each other in
-- a circle, and an insert never shares a row with an edit.
CREATE FUNCTION "UpdateTally_slot"() RETURNS SMALLINT LANGUAGE sql STABLE AS $$ SELECT (1 + pg_backend_pid() % 15)::smallint $$;

-- A new update and each principle it is tagged with are counted by a row trigger rather than a statement
-- trigger over the inserted rows (a transition table): an update's insert took 1.19 ms with those and
-- 0.47 ms with these on PGlite, 0.78 and 0.36 ms on PostgreSQL 15 (0.30 and 0.19 ms with no tally).
-- The product inserts one update at a time; a bulk load pays a trigger call per row.
CREATE FUNCTION "UpdateTally_update_inserted"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO "UpdateTally" AS t ("networkId", "month", "organisationId", "principleId", "slot", "updates")
  SELECT NEW."networkId", "UpdateTally_month"(n."timeZone", NEW."createdAt"), coalesce(NEW."organisationId", ''), '', "UpdateTally_slot"(), 1
  FROM "Network" n WHERE n."id" = NEW."networkId"
  ON CONFLICT ("networkId", "month", "organisationId", "principleId", "slot") DO UPDATE SET "updates" = t."updates" + 1;
  RETURN NULL;
END
$fn$;

CREATE FUNCTION "UpdateTally_principle_inserted"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO "UpdateTally" AS t ("networkId", "month", "organisationId", "principleId", "slot", "updates")
  SELECT u."networkId", "UpdateTally_month"(n."timeZone", u."createdAt"), coalesce(u."organisationId", ''), NEW."principleId", "UpdateTally_slot"(), 1
  FROM "Update" u JOIN "Network" n ON n."id" = u."networkId" WHERE u."id" = NEW."updateId"
  ON CONFLICT ("networkId", "month", "organisationId", "principleId", "slot") DO UPDATE SET "updates" = t."updates" + 1;
  RETURN NULL;
END
$fn$;

DROP TRIGGER "UpdateTally_update_inserted" ON "Update";
CREATE TRIGGER "UpdateTally_update_inserted" AFTER INSERT ON "Update" FOR EACH ROW EXECUTE FUNCTION "UpdateTally_update_inserted"();
DROP TRIGGER "UpdateTally_principles_inserted" ON "UpdatePrinciple";
CREATE TRIGGER "UpdateTally_principles_inserted" AFTER INSERT ON "UpdatePrinciple" FOR EACH ROW EXECUTE FUNCTION "UpdateTally_principle_inserted"();
DROP FUNCTION "UpdateTally_updates_inserted"();
DROP FUNCTION "UpdateTally_principles_inserted"();

CREATE OR REPLACE FUNCTION "UpdateTally_count"() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  -- Each change as (networkId, createdAt, organisationId, principleId, delta): an update, or one
  -- principle it is tagged with, counted in or out.
  changes TEXT;
  -- An update and each principle it is tagged with now.
  tagged CONSTANT TEXT := $q$ CROSS JOIN LATERAL (SELECT '' AS "principleId" UNION ALL SELECT up."principleId" FROM "UpdatePrinciple" up WHERE up."updateId" = %1$s."id") p $q$;
BEGIN
  changes := CASE TG_TABLE_NAME || ' ' || TG_OP
    WHEN 'Update UPDATE' THEN
      format($q$ SELECT o."networkId", o."createdAt", o."organisationId", p."principleId", -1 FROM old_rows o JOIN new_rows n USING ("id") %1$s
                 WHERE (o."networkId", o."createdAt", o."organisationId") IS DISTINCT FROM (n."networkId", n."createdAt", n."organisationId")
                 UNION ALL
                 SELECT n."networkId", n."createdAt", n."organisationId", p."principleId", 1 FROM old_rows o JOIN new_rows n USING ("id") %2$s
                 WHERE (o."networkId", o."createdAt", o."organisationId") IS DISTINCT FROM (n."networkId", n."createdAt", n."organisationId") $q$,
             format(tagged, 'o'), format(tagged, 'n'))
    -- Before the row goes, while its principles are still there to count out: deleting them afterwards
    -- (the cascade) finds no update and counts nothing again.
    WHEN 'Update DELETE' THEN
      format($q$ SELECT u."networkId", u."createdAt", u."organisationId", p."principleId", -1 FROM (SELECT ($1).*) u %1$s $q$, format(tagged, 'u'))
    WHEN 'UpdatePrinciple DELETE' THEN
      $q$ SELECT u."networkId", u."createdAt", u."organisationId", r."principleId", -1 FROM old_rows r JOIN "Update" u ON u."id" = r."updateId" $q$
    WHEN 'UpdatePrinciple UPDATE' THEN
      $q$ SELECT u."networkId", u."createdAt", u."organisationId", r."principleId", -1 FROM old_rows r JOIN "Update" u ON u."id" = r."updateId"
          UNION ALL
          SELECT u."networkId", u."createdAt", u."organisationId", r."principleId", 1 FROM new_rows r JOIN "Update" u ON u."id" = r."updateId" $q$
  END;
  -- Rows are locked in key order, so two writers never wait on each other in a circle. Slot 0, which a
  -- row counted out of may go below zero in: only the sum of a count's slots means anything.
  EXECUTE format($q$
    INSERT INTO "UpdateTally" AS t ("networkId", "month", "organisationId", "principleId", "updates")
    SELECT c."networkId", "UpdateTally_month"(n."timeZone", c."createdAt"), coalesce(c."organisationId", ''), c."principleId", sum(c."delta")::int
    FROM (%s) AS c("networkId", "createdAt", "organisationId", "principleId", "delta") JOIN "Network" n ON n."id" = c."networkId"
    GROUP BY 1, 2, 3, 4 HAVING sum(c."delta") <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT ("networkId", "month", "organisationId", "principleId", "slot") DO UPDATE SET "updates" = t."updates" + excluded."updates" $q$, changes)
    USING OLD;
  RETURN OLD;
END
$fn$;
