ALTER TABLE "rounds" ADD COLUMN "phase_started_at" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
-- Rounds moved before this column existed: their moves are in the audit log.
UPDATE "rounds" SET "phase_started_at" = moves.started
FROM (
  SELECT substring("object" from 7)::int AS round_id,
         jsonb_object_agg(phase, "at" ORDER BY "at") AS started
  FROM (
    SELECT "object", "at",
           CASE WHEN "action" = 'results.publish' THEN 'published' ELSE "details"->>'to' END AS phase
    FROM "audit_log"
    WHERE "object" ~ '^round:[0-9]+$' AND "action" IN ('round.advance', 'results.publish')
  ) AS entries
  WHERE phase IS NOT NULL
  GROUP BY "object"
) AS moves
WHERE "rounds"."id" = moves.round_id;
