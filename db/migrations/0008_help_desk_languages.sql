ALTER TYPE "public"."role" ADD VALUE 'coach' BEFORE 'council';--> statement-breakpoint
CREATE TABLE "language_turnout" (
	"round_id" integer NOT NULL,
	"lang" text NOT NULL,
	"shard" integer NOT NULL,
	"ballots" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "language_turnout_round_id_lang_shard_pk" PRIMARY KEY("round_id","lang","shard")
);
--> statement-breakpoint
CREATE TABLE "proposal_translations" (
	"id" serial PRIMARY KEY NOT NULL,
	"proposal_id" integer NOT NULL,
	"lang" text NOT NULL,
	"title" text NOT NULL,
	"summary" text NOT NULL,
	"official_id" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "rounds" ADD COLUMN "help_desk" jsonb;--> statement-breakpoint
ALTER TABLE "language_turnout" ADD CONSTRAINT "language_turnout_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proposal_translations" ADD CONSTRAINT "proposal_translations_proposal_id_proposals_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."proposals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proposal_translations" ADD CONSTRAINT "proposal_translations_official_id_officials_id_fk" FOREIGN KEY ("official_id") REFERENCES "public"."officials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "proposal_translations_proposal_lang_key" ON "proposal_translations" USING btree ("proposal_id","lang");