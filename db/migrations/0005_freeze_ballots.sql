-- Ballots change only while their round is voting; once results are published, neither
-- ballots nor revocations can change, whatever an application or an operator tries.
CREATE FUNCTION ballots_only_while_voting() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  round_phase phase;
BEGIN
  SELECT phase INTO round_phase FROM rounds WHERE id = COALESCE(NEW.round_id, OLD.round_id);
  IF round_phase <> 'voting' THEN
    RAISE EXCEPTION 'ballots of round % cannot change in phase %', COALESCE(NEW.round_id, OLD.round_id), round_phase;
  END IF;
  RETURN COALESCE(NEW, OLD);
END;
$$;
--> statement-breakpoint
CREATE TRIGGER ballots_only_while_voting BEFORE INSERT OR UPDATE OR DELETE ON ballots
  FOR EACH ROW EXECUTE FUNCTION ballots_only_while_voting();
--> statement-breakpoint
CREATE FUNCTION codes_frozen_after_publication() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT phase FROM rounds WHERE id = OLD.round_id) = 'published' AND NEW.revoked_at IS DISTINCT FROM OLD.revoked_at THEN
    RAISE EXCEPTION 'voting codes of published round % cannot be revoked', OLD.round_id;
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER codes_frozen_after_publication BEFORE UPDATE ON voting_codes
  FOR EACH ROW EXECUTE FUNCTION codes_frozen_after_publication();
