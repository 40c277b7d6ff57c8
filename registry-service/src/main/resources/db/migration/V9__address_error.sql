-- Why a peer has no tunnel address, when ipam-service said it could not allocate one.
ALTER TABLE peer ADD COLUMN address_error TEXT;
