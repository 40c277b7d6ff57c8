-- host:port the edges dial for a site-to-site peer (a DNS name that follows its dynamic IP, or an
-- address); NULL for a roaming client, which dials in.
ALTER TABLE peer ADD COLUMN endpoint TEXT;
