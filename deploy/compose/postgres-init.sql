-- One database per service that keeps state (each service migrates its own schema with Flyway at start).
CREATE DATABASE registry;
CREATE DATABASE ipam;
CREATE DATABASE endpoints;
CREATE DATABASE firewall;
