CREATE TABLE "group_populations" (
	"round_id" integer NOT NULL,
	"group_label" text NOT NULL,
	"residents" integer NOT NULL,
	CONSTRAINT "group_populations_round_id_group_label_pk" PRIMARY KEY("round_id","group_label")
);
--> statement-breakpoint
CREATE TABLE "round_equity" (
	"round_id" integer PRIMARY KEY NOT NULL,
	"lag_points" integer DEFAULT 10 NOT NULL,
	"min_group_voters" integer DEFAULT 10 NOT NULL,
	"summary_sent_on" date
);
--> statement-breakpoint
ALTER TABLE "group_populations" ADD CONSTRAINT "group_populations_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_equity" ADD CONSTRAINT "round_equity_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE no action ON UPDATE no action;