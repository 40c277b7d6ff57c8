-- What the registry holds for each edge and the tracker checks its reports against: the public key
-- its agent signs with, and the networks it serves (comma-separated), from EdgeChanged.
ALTER TABLE edge ADD COLUMN signing_key TEXT;
ALTER TABLE edge ADD COLUMN networks TEXT NOT NULL DEFAULT '';
