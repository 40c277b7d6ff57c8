-- The public Ed25519 key an edge's agent signs its acknowledgements and observations with
-- (base64 of 32 bytes); consumers accept the edge's reports only under it. NULL: none registered.
ALTER TABLE edge ADD COLUMN signing_key TEXT;
