ALTER TYPE "public"."proposal_event_kind" ADD VALUE 'not_reviewed';--> statement-breakpoint
ALTER TYPE "public"."proposal_status" ADD VALUE 'not_reviewed';--> statement-breakpoint
ALTER TABLE "results" ADD COLUMN "outcome_version" integer DEFAULT 1 NOT NULL;