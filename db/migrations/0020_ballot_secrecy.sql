-- One row per language: the shards' counts are summed into shard 0 before the column goes.
UPDATE "language_turnout" AS "kept" SET "ballots" = "sums"."ballots" FROM (SELECT "round_id", "lang", sum("ballots")::integer AS "ballots" FROM "language_turnout" GROUP BY "round_id", "lang") AS "sums" WHERE "kept"."round_id" = "sums"."round_id" AND "kept"."lang" = "sums"."lang" AND "kept"."shard" = (SELECT min("shard") FROM "language_turnout" AS "l" WHERE "l"."round_id" = "kept"."round_id" AND "l"."lang" = "kept"."lang");--> statement-breakpoint
DELETE FROM "language_turnout" AS "extra" WHERE "extra"."shard" > (SELECT min("shard") FROM "language_turnout" AS "l" WHERE "l"."round_id" = "extra"."round_id" AND "l"."lang" = "extra"."lang");--> statement-breakpoint
ALTER TABLE "language_turnout" DROP CONSTRAINT "language_turnout_round_id_lang_shard_pk";--> statement-breakpoint
ALTER TABLE "ballots" ALTER COLUMN "updated_at" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "ballots" ALTER COLUMN "updated_at" DROP NOT NULL;--> statement-breakpoint
-- Rounds already past voting keep no time per ballot, as closing now does.
UPDATE "ballots" SET "updated_at" = NULL WHERE "round_id" IN (SELECT "id" FROM "rounds" WHERE "phase" NOT IN ('draft', 'proposing', 'reviewing', 'voting'));--> statement-breakpoint
ALTER TABLE "language_turnout" ADD CONSTRAINT "language_turnout_round_id_lang_pk" PRIMARY KEY("round_id","lang");--> statement-breakpoint
ALTER TABLE "ballots" DROP COLUMN "cast_at";--> statement-breakpoint
ALTER TABLE "language_turnout" DROP COLUMN "shard";
