-- The edge a peer uses in a network whose address pools are segmented per edge (ipam-service's
-- AddressAssigned.edgeId); NULL: every edge of the network.
ALTER TABLE peer ADD COLUMN edge_id TEXT;
