CREATE TYPE "public"."proposal_event_kind" AS ENUM('submitted', 'resubmitted', 'approved', 'rejected', 'changes_requested', 'cost_corrected', 'merged');--> statement-breakpoint
CREATE TABLE "proposal_events" (
	"id" serial PRIMARY KEY NOT NULL,
	"proposal_id" integer NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"kind" "proposal_event_kind" NOT NULL,
	"official_id" integer,
	"message" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "proposals" ADD COLUMN "lang" text DEFAULT 'nl' NOT NULL;--> statement-breakpoint
ALTER TABLE "proposals" ADD COLUMN "waiting_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "proposal_events" ADD CONSTRAINT "proposal_events_proposal_id_proposals_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."proposals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proposal_events" ADD CONSTRAINT "proposal_events_official_id_officials_id_fk" FOREIGN KEY ("official_id") REFERENCES "public"."officials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "proposal_events_proposal_idx" ON "proposal_events" USING btree ("proposal_id","at");--> statement-breakpoint
CREATE INDEX "proposals_waiting_idx" ON "proposals" USING btree ("waiting_since");