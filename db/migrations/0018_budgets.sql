CREATE TYPE "public"."district_rule" AS ENUM('own-and-citywide', 'own-plus-one');--> statement-breakpoint
CREATE TABLE "budgets" (
	"id" serial PRIMARY KEY NOT NULL,
	"round_id" integer NOT NULL,
	"name" text NOT NULL,
	"amount_cents" bigint NOT NULL,
	"district" text,
	"leftover_to" integer,
	"position" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "code_batches" ADD COLUMN "district" text;--> statement-breakpoint
ALTER TABLE "proposals" ADD COLUMN "budget_id" integer;--> statement-breakpoint
ALTER TABLE "rounds" ADD COLUMN "district_rule" "district_rule" DEFAULT 'own-and-citywide' NOT NULL;--> statement-breakpoint
ALTER TABLE "budgets" ADD CONSTRAINT "budgets_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "budgets" ADD CONSTRAINT "budgets_leftover_to_budgets_id_fk" FOREIGN KEY ("leftover_to") REFERENCES "public"."budgets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "budgets_round_idx" ON "budgets" USING btree ("round_id","position");--> statement-breakpoint
ALTER TABLE "proposals" ADD CONSTRAINT "proposals_budget_id_budgets_id_fk" FOREIGN KEY ("budget_id") REFERENCES "public"."budgets"("id") ON DELETE no action ON UPDATE no action;