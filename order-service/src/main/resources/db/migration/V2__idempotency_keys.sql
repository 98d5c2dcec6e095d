-- Idempotency keys of POST /orders (the Idempotency-Key header). A client, or the gateway retrying on another
-- instance after the first one may have processed the request, can send the same order twice; the key makes the
-- second answer with the first order instead of creating another. A key is stored here BEFORE its order (so a
-- second request with it, on any instance, sees it at once) and gets the order's id in the order's own
-- transaction. Rows are kept for 24 hours.
CREATE TABLE idempotency_keys (
    idem_key     VARCHAR(255)             PRIMARY KEY,
    request_hash VARCHAR(64)              NOT NULL,   -- SHA-256 (hex) of the request body
    order_id     BIGINT                   REFERENCES orders (id) ON DELETE CASCADE,   -- NULL while in progress
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX idempotency_keys_created_at_idx ON idempotency_keys (created_at);
