-- V8 added peer.deleted_at, which nothing ever wrote: a deleted peer has status DELETED, and when it
-- was deleted is the PeerRemoved event's occurredAt in the audit log.
ALTER TABLE peer DROP COLUMN deleted_at;
