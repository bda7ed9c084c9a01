-- Runs once, when the compose PostgreSQL volume is first initialised: one login role and one database per service
-- (password = role name, for local use only; production passwords come from secrets).
CREATE ROLE ingest LOGIN PASSWORD 'ingest';
CREATE ROLE profiles LOGIN PASSWORD 'profiles';
CREATE ROLE trust LOGIN PASSWORD 'trust';
CREATE ROLE notify LOGIN PASSWORD 'notify';
CREATE DATABASE ingest OWNER ingest;
CREATE DATABASE profiles OWNER profiles;
CREATE DATABASE trust OWNER trust;
CREATE DATABASE notify OWNER notify;
