CREATE TYPE "public"."ballot_format" AS ENUM('knapsack', 'approval');--> statement-breakpoint
CREATE TYPE "public"."phase" AS ENUM('draft', 'proposing', 'reviewing', 'voting', 'closed', 'published');--> statement-breakpoint
CREATE TYPE "public"."proposal_status" AS ENUM('submitted', 'needs_changes', 'approved', 'rejected');--> statement-breakpoint
CREATE TYPE "public"."role" AS ENUM('admin', 'moderator', 'council');--> statement-breakpoint
CREATE TYPE "public"."tally_rule" AS ENUM('greedy', 'equal-shares');--> statement-breakpoint
CREATE TYPE "public"."track" AS ENUM('financial-technical', 'social', 'spatial');--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"official_id" integer,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"object" text NOT NULL,
	"details" jsonb NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "officials" (
	"id" serial PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"role" "role" NOT NULL,
	"password_hash" text NOT NULL,
	"failed_attempts" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "proposals" (
	"id" serial PRIMARY KEY NOT NULL,
	"round_id" integer NOT NULL,
	"reference" text NOT NULL,
	"status_token" text NOT NULL,
	"title" text NOT NULL,
	"summary" text NOT NULL,
	"description" text NOT NULL,
	"cost_cents" bigint NOT NULL,
	"corrected_cost_cents" bigint,
	"cost_justification" text,
	"track" "track" NOT NULL,
	"themes" text[] NOT NULL,
	"location" text DEFAULT '' NOT NULL,
	"kwh_per_year" integer,
	"co2_kg_per_year" integer,
	"households" integer,
	"organisation" text,
	"contact_name" text NOT NULL,
	"contact_email" text,
	"contact_phone" text,
	"contact_consent" boolean DEFAULT false NOT NULL,
	"status" "proposal_status" DEFAULT 'submitted' NOT NULL,
	"duplicate_of_id" integer,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"first_answered_at" timestamp with time zone,
	CONSTRAINT "proposals_reference_unique" UNIQUE("reference"),
	CONSTRAINT "proposals_status_token_unique" UNIQUE("status_token")
);
--> statement-breakpoint
CREATE TABLE "rate_limits" (
	"key" text PRIMARY KEY NOT NULL,
	"count" integer NOT NULL,
	"reset_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rounds" (
	"id" serial PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"title" text NOT NULL,
	"neighbourhood" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"budget_cents" bigint NOT NULL,
	"phase" "phase" DEFAULT 'draft' NOT NULL,
	"ballot_format" "ballot_format" DEFAULT 'knapsack' NOT NULL,
	"max_choices" integer,
	"min_spend_percent" integer DEFAULT 0 NOT NULL,
	"tally_rule" "tally_rule" DEFAULT 'greedy' NOT NULL,
	"proposing_from" date,
	"reviewing_from" date,
	"voting_from" date,
	"voting_until" date,
	"publish_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rounds_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"sid" text PRIMARY KEY NOT NULL,
	"data" jsonb NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_official_id_officials_id_fk" FOREIGN KEY ("official_id") REFERENCES "public"."officials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "proposals" ADD CONSTRAINT "proposals_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "officials_email_key" ON "officials" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "proposals_round_status_idx" ON "proposals" USING btree ("round_id","status");--> statement-breakpoint
CREATE INDEX "sessions_expires_at_idx" ON "sessions" USING btree ("expires_at");