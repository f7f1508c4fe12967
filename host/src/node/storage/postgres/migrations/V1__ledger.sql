-- The node's state, version 1. Addresses and hashes are bytea (20 and 32
-- bytes), amounts numeric(78,0) (up to 2^256-1), u64 counters bigint (the
-- same 64 bits: a value above 2^63-1 reads back negative in SQL), records
-- the node's JSON.

-- The checkpoint head: one row. Every write locks it (SELECT ... FOR
-- UPDATE) before it reads the ledger, so the writes of every node process
-- on this database apply one at a time, and checkpoints are numbered once.
CREATE TABLE head (
    id boolean PRIMARY KEY DEFAULT true CHECK (id),
    checkpoint bigint NOT NULL,
    checkpoint_hash bytea NOT NULL,
    mint_count bigint NOT NULL DEFAULT 0
);

CREATE TABLE accounts (
    address bytea PRIMARY KEY,
    nonce bigint NOT NULL,
    bbnonce bigint NOT NULL
);

CREATE TABLE tokens (
    address bytea PRIMARY KEY,
    symbol text NOT NULL UNIQUE,
    token jsonb NOT NULL
);

CREATE TABLE balances (
    owner bytea NOT NULL,
    token bytea NOT NULL,
    amount numeric(78, 0) NOT NULL CHECK (amount >= 0),
    PRIMARY KEY (owner, token)
);

CREATE TABLE multisigs (
    address bytea PRIMARY KEY,
    multisig jsonb NOT NULL
);

CREATE TABLE transactions (
    hash bytea PRIMARY KEY,
    record json NOT NULL
);

CREATE TABLE checkpoints (
    number bigint PRIMARY KEY,
    hash bytea NOT NULL UNIQUE,
    record json NOT NULL
);

CREATE TABLE mints (
    asset_id text PRIMARY KEY,
    token_id text NOT NULL UNIQUE,
    record json NOT NULL
);
