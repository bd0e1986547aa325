ALTER TYPE "public"."ballot_format" ADD VALUE 'points';--> statement-breakpoint
ALTER TABLE "ballots" ADD COLUMN "points" integer[];--> statement-breakpoint
ALTER TABLE "rounds" ADD COLUMN "points_per_voter" integer;--> statement-breakpoint
ALTER TABLE "rounds" ADD COLUMN "max_points_per_project" integer;