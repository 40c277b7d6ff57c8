-- Deleted peers: revoked, their addresses released. The row stays (the key is terminal and unique,
-- and the audit trail keeps its subject).
ALTER TABLE peer DROP CONSTRAINT peer_status_check;
ALTER TABLE peer ADD CONSTRAINT peer_status_check CHECK (status IN ('ACTIVE', 'REVOKED', 'DELETED'));
ALTER TABLE peer ADD COLUMN deleted_at TIMESTAMPTZ;
