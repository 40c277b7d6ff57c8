-- Peers with a lifetime (short-lived keys for mobile clients): revoked automatically when it ends,
-- and why every revoked peer was revoked.
ALTER TABLE peer ADD COLUMN expires_at TIMESTAMPTZ;
ALTER TABLE peer ADD COLUMN revoke_reason TEXT CHECK (revoke_reason IN ('OPERATOR', 'EXPIRED', 'ROTATED', 'PEER_DELETED'));
UPDATE peer SET revoke_reason = 'OPERATOR' WHERE status = 'REVOKED';
CREATE INDEX peer_expiry ON peer (expires_at) WHERE status = 'ACTIVE' AND expires_at IS NOT NULL;
ALTER TABLE enrolment_token ADD COLUMN peer_lifetime_seconds BIGINT CHECK (peer_lifetime_seconds > 0);
