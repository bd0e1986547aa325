ALTER TABLE "proposals" ADD COLUMN "latitude" double precision;--> statement-breakpoint
ALTER TABLE "proposals" ADD COLUMN "longitude" double precision;