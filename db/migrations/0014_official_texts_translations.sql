CREATE TYPE "public"."text_kind" AS ENUM('decision', 'description', 'hours', 'progress');--> statement-breakpoint
CREATE TABLE "text_translations" (
	"id" serial PRIMARY KEY NOT NULL,
	"round_id" integer NOT NULL,
	"kind" text_kind NOT NULL,
	"subject_id" integer NOT NULL,
	"lang" text NOT NULL,
	"text" text NOT NULL,
	"source_hash" text NOT NULL,
	"official_id" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "proposal_translations" ADD COLUMN "description" text;--> statement-breakpoint
ALTER TABLE "proposal_translations" ADD COLUMN "source_hash" text;--> statement-breakpoint
ALTER TABLE "text_translations" ADD CONSTRAINT "text_translations_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "text_translations" ADD CONSTRAINT "text_translations_official_id_officials_id_fk" FOREIGN KEY ("official_id") REFERENCES "public"."officials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "text_translations_subject_lang_key" ON "text_translations" USING btree ("kind","subject_id","lang");--> statement-breakpoint
CREATE INDEX "text_translations_round_idx" ON "text_translations" USING btree ("round_id","lang");