ALTER TYPE "public"."progress_status" ADD VALUE 'cancelled';--> statement-breakpoint
ALTER TYPE "public"."text_kind" ADD VALUE 'milestone';--> statement-breakpoint
CREATE TABLE "milestones" (
	"id" serial PRIMARY KEY NOT NULL,
	"proposal_id" integer NOT NULL,
	"title" text NOT NULL,
	"planned_on" date NOT NULL,
	"done_on" date,
	"reminded_at" timestamp with time zone,
	"official_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "progress_updates" ADD COLUMN "spent_cents" bigint;--> statement-breakpoint
ALTER TABLE "progress_updates" ADD COLUMN "kwh_reached" integer;--> statement-breakpoint
ALTER TABLE "progress_updates" ADD COLUMN "co2_kg_reached" integer;--> statement-breakpoint
ALTER TABLE "progress_updates" ADD COLUMN "households_reached" integer;--> statement-breakpoint
ALTER TABLE "milestones" ADD CONSTRAINT "milestones_proposal_id_proposals_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."proposals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "milestones" ADD CONSTRAINT "milestones_official_id_officials_id_fk" FOREIGN KEY ("official_id") REFERENCES "public"."officials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "milestones_proposal_idx" ON "milestones" USING btree ("proposal_id","planned_on");