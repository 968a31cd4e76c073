-- New updates and their principles are counted by static SQL, which plpgsql plans once per session,
-- instead of the shared function's dynamic SQL (EXECUTE), which PostgreSQL plans again on every
-- statement: on PostgreSQL 15 a /ti update's insert took 2.06 ms with it and 1.05 ms with this, and
-- 50 writers at once stored 492 and 1,303 updates a second (bench/README.md, bench:ack).
-- Edits and removals, which are rare, keep the shared function; it loses its two insert branches.
CREATE FUNCTION "UpdateTally_updates_inserted"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO "UpdateTally" AS t ("networkId", "month", "organisationId", "principleId", "updates")
  SELECT u."networkId", "UpdateTally_month"(n."timeZone", u."createdAt"), coalesce(u."organisationId", ''), '', count(*)::int
  FROM new_rows u JOIN "Network" n ON n."id" = u."networkId"
  GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT ("networkId", "month", "organisationId", "principleId") DO UPDATE SET "updates" = t."updates" + excluded."updates";
  RETURN NULL;
END
$fn$;
CREATE FUNCTION "UpdateTally_principles_inserted"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO "UpdateTally" AS t ("networkId", "month", "organisationId", "principleId", "updates")
  SELECT u."networkId", "UpdateTally_month"(n."timeZone", u."createdAt"), coalesce(u."organisationId", ''), r."principleId", count(*)::int
  FROM new_rows r JOIN "Update" u ON u."id" = r."updateId" JOIN "Network" n ON n."id" = u."networkId"
  GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT ("networkId", "month", "organisationId", "principleId") DO UPDATE SET "updates" = t."updates" + excluded."updates";
  RETURN NULL;
END
$fn$;
DROP TRIGGER "UpdateTally_update_inserted" ON "Update";
CREATE TRIGGER "UpdateTally_update_inserted" AFTER INSERT ON "Update" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "UpdateTally_updates_inserted"();
DROP TRIGGER "UpdateTally_principles_inserted" ON "UpdatePrinciple";
CREATE TRIGGER "UpdateTally_principles_inserted" AFTER INSERT ON "UpdatePrinciple" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "UpdateTally_principles_inserted"();

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
