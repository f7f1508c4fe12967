-- Version 2: a transaction's checkpoint, position and sender as columns
-- (until now only inside its record), so that the history reads in
-- checkpoint order and by account without parsing every record.
ALTER TABLE transactions
    ADD COLUMN checkpoint bigint,
    ADD COLUMN position integer,
    ADD COLUMN sender bytea;

UPDATE transactions SET
    checkpoint = (record -> 'transaction' ->> 'checkpoint_number')::bigint,
    position = (record -> 'transaction' ->> 'transaction_index')::integer,
    sender = decode(substr(record -> 'transaction' ->> 'from', 3), 'hex');

ALTER TABLE transactions
    ALTER COLUMN checkpoint SET NOT NULL,
    ALTER COLUMN position SET NOT NULL,
    ALTER COLUMN sender SET NOT NULL;

CREATE UNIQUE INDEX transactions_order ON transactions (checkpoint, position);
CREATE INDEX transactions_sender ON transactions (sender);
