CREATE TABLE "tally_previews" (
	"round_id" integer NOT NULL,
	"rule" "tally_rule" NOT NULL,
	"input_sha256" text NOT NULL,
	"outcome" jsonb NOT NULL,
	"outcome_version" integer NOT NULL,
	"previewed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tally_previews_round_id_rule_pk" PRIMARY KEY("round_id","rule")
);
--> statement-breakpoint
ALTER TABLE "tally_previews" ADD CONSTRAINT "tally_previews_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE no action ON UPDATE no action;