CREATE TYPE "public"."comment_author" AS ENUM('resident', 'submitter', 'official');--> statement-breakpoint
CREATE TYPE "public"."comment_kind" AS ENUM('question', 'comment', 'answer');--> statement-breakpoint
CREATE TYPE "public"."comment_status" AS ENUM('waiting', 'published', 'rejected');--> statement-breakpoint
CREATE TYPE "public"."comment_reject_reason" AS ENUM('personal_data', 'insult', 'off_topic', 'spam', 'duplicate');--> statement-breakpoint
ALTER TYPE "public"."text_kind" ADD VALUE 'comment';--> statement-breakpoint
CREATE TABLE "comments" (
	"id" serial PRIMARY KEY NOT NULL,
	"round_id" integer NOT NULL,
	"proposal_id" integer NOT NULL,
	"parent_id" integer,
	"kind" "comment_kind" NOT NULL,
	"author" "comment_author" NOT NULL,
	"official_id" integer,
	"display_name" text DEFAULT '' NOT NULL,
	"text" text NOT NULL,
	"lang" text NOT NULL,
	"token" text NOT NULL,
	"status" "comment_status" DEFAULT 'waiting' NOT NULL,
	"reject_reason" "comment_reject_reason",
	"reject_note" text,
	"waiting_since" timestamp with time zone,
	"decided_at" timestamp with time zone,
	"decided_by" integer,
	"first_official_answer_at" timestamp with time zone,
	"reports" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "comments_token_unique" UNIQUE("token")
);
--> statement-breakpoint
CREATE TABLE "follows" (
	"id" serial PRIMARY KEY NOT NULL,
	"round_id" integer NOT NULL,
	"proposal_id" integer,
	"comment_id" integer,
	"email" text NOT NULL,
	"lang" text NOT NULL,
	"token" text NOT NULL,
	"confirmed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "follows_token_unique" UNIQUE("token")
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"to_address" text NOT NULL,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"headers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"purpose" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"claimed_until" timestamp with time zone,
	"sent_at" timestamp with time zone,
	"failed_at" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "comments" ADD CONSTRAINT "comments_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comments" ADD CONSTRAINT "comments_proposal_id_proposals_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."proposals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comments" ADD CONSTRAINT "comments_parent_id_comments_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."comments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comments" ADD CONSTRAINT "comments_official_id_officials_id_fk" FOREIGN KEY ("official_id") REFERENCES "public"."officials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comments" ADD CONSTRAINT "comments_decided_by_officials_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."officials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follows" ADD CONSTRAINT "follows_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follows" ADD CONSTRAINT "follows_proposal_id_proposals_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."proposals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follows" ADD CONSTRAINT "follows_comment_id_comments_id_fk" FOREIGN KEY ("comment_id") REFERENCES "public"."comments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "comments_proposal_idx" ON "comments" USING btree ("proposal_id","status","created_at");--> statement-breakpoint
CREATE INDEX "comments_parent_idx" ON "comments" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "comments_waiting_idx" ON "comments" USING btree ("waiting_since");--> statement-breakpoint
CREATE INDEX "comments_round_idx" ON "comments" USING btree ("round_id","kind");--> statement-breakpoint
CREATE INDEX "follows_round_idx" ON "follows" USING btree ("round_id","proposal_id");--> statement-breakpoint
CREATE INDEX "follows_comment_idx" ON "follows" USING btree ("comment_id");--> statement-breakpoint
CREATE INDEX "outbox_due_idx" ON "outbox" USING btree ("next_attempt_at") WHERE "outbox"."sent_at" is null and "outbox"."failed_at" is null;