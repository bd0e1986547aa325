CREATE TYPE "public"."ballot_channel" AS ENUM('online', 'paper');--> statement-breakpoint
CREATE TABLE "ballots" (
	"id" serial PRIMARY KEY NOT NULL,
	"round_id" integer NOT NULL,
	"code_id" integer NOT NULL,
	"channel" "ballot_channel" NOT NULL,
	"project_ids" integer[] NOT NULL,
	"receipt" text NOT NULL,
	"cast_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ballots_code_id_unique" UNIQUE("code_id"),
	CONSTRAINT "ballots_receipt_unique" UNIQUE("receipt")
);
--> statement-breakpoint
CREATE TABLE "code_batches" (
	"id" serial PRIMARY KEY NOT NULL,
	"round_id" integer NOT NULL,
	"group_label" text,
	"count" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" integer
);
--> statement-breakpoint
CREATE TABLE "voting_codes" (
	"id" serial PRIMARY KEY NOT NULL,
	"round_id" integer NOT NULL,
	"batch_id" integer NOT NULL,
	"code_hash" text NOT NULL,
	"group_label" text,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "voting_codes_code_hash_unique" UNIQUE("code_hash")
);
--> statement-breakpoint
ALTER TABLE "rounds" ADD COLUMN "failed_code_attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "ballots" ADD CONSTRAINT "ballots_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballots" ADD CONSTRAINT "ballots_code_id_voting_codes_id_fk" FOREIGN KEY ("code_id") REFERENCES "public"."voting_codes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "code_batches" ADD CONSTRAINT "code_batches_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "code_batches" ADD CONSTRAINT "code_batches_created_by_officials_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."officials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voting_codes" ADD CONSTRAINT "voting_codes_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voting_codes" ADD CONSTRAINT "voting_codes_batch_id_code_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."code_batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ballots_round_idx" ON "ballots" USING btree ("round_id");--> statement-breakpoint
CREATE INDEX "voting_codes_round_idx" ON "voting_codes" USING btree ("round_id");