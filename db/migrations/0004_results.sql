CREATE TYPE "public"."progress_status" AS ENUM('planned', 'in_progress', 'done');--> statement-breakpoint
CREATE TABLE "progress_updates" (
	"id" serial PRIMARY KEY NOT NULL,
	"proposal_id" integer NOT NULL,
	"status" "progress_status" NOT NULL,
	"text" text NOT NULL,
	"on" date NOT NULL,
	"official_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "results" (
	"round_id" integer PRIMARY KEY NOT NULL,
	"rule" "tally_rule" NOT NULL,
	"outcome" jsonb NOT NULL,
	"ballots_pb" text NOT NULL,
	"ballots_sha256" text NOT NULL,
	"ballot_count" integer NOT NULL,
	"software_version" text NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_by" integer
);
--> statement-breakpoint
ALTER TABLE "progress_updates" ADD CONSTRAINT "progress_updates_proposal_id_proposals_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."proposals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "progress_updates" ADD CONSTRAINT "progress_updates_official_id_officials_id_fk" FOREIGN KEY ("official_id") REFERENCES "public"."officials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "results" ADD CONSTRAINT "results_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "results" ADD CONSTRAINT "results_published_by_officials_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."officials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "progress_updates_proposal_idx" ON "progress_updates" USING btree ("proposal_id","on");