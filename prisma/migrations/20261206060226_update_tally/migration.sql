-- CreateTable
CREATE TABLE "UpdateTally" (
    "networkId" TEXT NOT NULL,
    "month" DATE NOT NULL,
    "organisationId" TEXT NOT NULL,
    "principleId" TEXT NOT NULL,
    "updates" INTEGER NOT NULL,

    CONSTRAINT "UpdateTally_pkey" PRIMARY KEY ("networkId","month","organisationId","principleId")
);

-- The tally is kept by the database on every write to updates and their principles, so no write path
-- (sharing, editing, removing, leaving, erasure, an organisation or principle removed) can forget it.
-- A month is the network's own, in its time zone, as insights count months; organisation '' is none,
-- principle '' counts the updates themselves. Bulk writes are counted once a statement.
CREATE FUNCTION "UpdateTally_month"("timeZone" TEXT, "at" TIMESTAMP(3)) RETURNS DATE LANGUAGE sql STABLE AS $$
  SELECT date_trunc('month', ("at" AT TIME ZONE 'UTC') AT TIME ZONE "timeZone")::date
$$;

CREATE FUNCTION "UpdateTally_count"() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  -- Each change as (networkId, createdAt, organisationId, principleId, delta): an update, or one
  -- principle it is tagged with, counted in or out.
  changes TEXT;
  -- An update and each principle it is tagged with now.
  tagged CONSTANT TEXT := $q$ CROSS JOIN LATERAL (SELECT '' AS "principleId" UNION ALL SELECT up."principleId" FROM "UpdatePrinciple" up WHERE up."updateId" = %1$s."id") p $q$;
BEGIN
  changes := CASE TG_TABLE_NAME || ' ' || TG_OP
    WHEN 'Update INSERT' THEN
      $q$ SELECT "networkId", "createdAt", "organisationId", '', 1 FROM new_rows $q$
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
    WHEN 'UpdatePrinciple INSERT' THEN
      $q$ SELECT u."networkId", u."createdAt", u."organisationId", r."principleId", 1 FROM new_rows r JOIN "Update" u ON u."id" = r."updateId" $q$
    WHEN 'UpdatePrinciple DELETE' THEN
      $q$ SELECT u."networkId", u."createdAt", u."organisationId", r."principleId", -1 FROM old_rows r JOIN "Update" u ON u."id" = r."updateId" $q$
    WHEN 'UpdatePrinciple UPDATE' THEN
      $q$ SELECT u."networkId", u."createdAt", u."organisationId", r."principleId", -1 FROM old_rows r JOIN "Update" u ON u."id" = r."updateId"
          UNION ALL
          SELECT u."networkId", u."createdAt", u."organisationId", r."principleId", 1 FROM new_rows r JOIN "Update" u ON u."id" = r."updateId" $q$
  END;
  -- Rows are locked in key order, so two writers never wait on each other in a circle.
  EXECUTE format($q$
    INSERT INTO "UpdateTally" AS t ("networkId", "month", "organisationId", "principleId", "updates")
    SELECT c."networkId", "UpdateTally_month"(n."timeZone", c."createdAt"), coalesce(c."organisationId", ''), c."principleId", sum(c."delta")::int
    FROM (%s) AS c("networkId", "createdAt", "organisationId", "principleId", "delta") JOIN "Network" n ON n."id" = c."networkId"
    GROUP BY 1, 2, 3, 4 HAVING sum(c."delta") <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT ("networkId", "month", "organisationId", "principleId") DO UPDATE SET "updates" = t."updates" + excluded."updates" $q$, changes)
    USING OLD;
  RETURN OLD;
END
$fn$;

-- Counts a network's updates afresh: when its time zone moves the months, and once here for the updates already shared.
CREATE FUNCTION "UpdateTally_recount"("network" TEXT) RETURNS VOID LANGUAGE sql AS $$
  DELETE FROM "UpdateTally" WHERE "networkId" = "network";
  INSERT INTO "UpdateTally" ("networkId", "month", "organisationId", "principleId", "updates")
  SELECT u."networkId", "UpdateTally_month"(n."timeZone", u."createdAt"), coalesce(u."organisationId", ''), '', count(*)::int
  FROM "Update" u JOIN "Network" n ON n."id" = u."networkId" WHERE u."networkId" = "network" GROUP BY 1, 2, 3
  UNION ALL
  SELECT u."networkId", "UpdateTally_month"(n."timeZone", u."createdAt"), coalesce(u."organisationId", ''), up."principleId", count(*)::int
  FROM "Update" u JOIN "UpdatePrinciple" up ON up."updateId" = u."id" JOIN "Network" n ON n."id" = u."networkId" WHERE u."networkId" = "network" GROUP BY 1, 2, 3, 4;
$$;

CREATE FUNCTION "UpdateTally_network_changed"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM "UpdateTally" WHERE "networkId" = OLD."id";
  ELSE
    PERFORM "UpdateTally_recount"(NEW."id");
  END IF;
  RETURN NULL;
END
$fn$;

CREATE TRIGGER "UpdateTally_update_inserted" AFTER INSERT ON "Update" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "UpdateTally_count"();
CREATE TRIGGER "UpdateTally_update_changed" AFTER UPDATE ON "Update" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "UpdateTally_count"();
CREATE TRIGGER "UpdateTally_update_deleting" BEFORE DELETE ON "Update" FOR EACH ROW EXECUTE FUNCTION "UpdateTally_count"();
CREATE TRIGGER "UpdateTally_principles_inserted" AFTER INSERT ON "UpdatePrinciple" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "UpdateTally_count"();
CREATE TRIGGER "UpdateTally_principles_changed" AFTER UPDATE ON "UpdatePrinciple" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "UpdateTally_count"();
CREATE TRIGGER "UpdateTally_principles_deleted" AFTER DELETE ON "UpdatePrinciple" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "UpdateTally_count"();
CREATE TRIGGER "UpdateTally_time_zone_changed" AFTER UPDATE OF "timeZone" ON "Network" FOR EACH ROW WHEN (OLD."timeZone" IS DISTINCT FROM NEW."timeZone") EXECUTE FUNCTION "UpdateTally_network_changed"();
CREATE TRIGGER "UpdateTally_network_deleted" AFTER DELETE ON "Network" FOR EACH ROW EXECUTE FUNCTION "UpdateTally_network_changed"();

SELECT "UpdateTally_recount"("id") FROM "Network";
