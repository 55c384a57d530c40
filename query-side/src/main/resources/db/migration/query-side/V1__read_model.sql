-- The query side's read model, with the processors' tokens and dead letters beside it, so that a projection's
-- rows and its token are updated in one transaction.

CREATE TABLE read_model.token_entry (
    processor_name VARCHAR(255) NOT NULL,
    segment        INTEGER      NOT NULL,
    token          BYTEA,
    token_type     VARCHAR(255),
    timestamp      VARCHAR(255),
    owner          VARCHAR(255),
    CONSTRAINT token_entry_pk PRIMARY KEY (processor_name, segment)
);

CREATE TABLE read_model.dead_letter_entry (
    dead_letter_identifier VARCHAR(255)  NOT NULL,
    processing_group       VARCHAR(255)  NOT NULL,
    sequence_identifier    VARCHAR(255)  NOT NULL,
    sequence_index         BIGINT        NOT NULL,
    message_type           VARCHAR(255)  NOT NULL,
    event_identifier       VARCHAR(255)  NOT NULL,
    time_stamp             VARCHAR(255)  NOT NULL,
    payload_type           VARCHAR(255)  NOT NULL,
    payload_revision       VARCHAR(255),
    payload                BYTEA         NOT NULL,
    meta_data              BYTEA,
    aggregate_type         VARCHAR(255),
    aggregate_identifier   VARCHAR(255),
    sequence_number        BIGINT,
    token_type             VARCHAR(255),
    token                  BYTEA,
    enqueued_at            VARCHAR(255)  NOT NULL,
    last_touched           VARCHAR(255),
    processing_started     VARCHAR(255),
    cause_type             VARCHAR(1023),
    cause_message          VARCHAR(4095),
    diagnostics            BYTEA,
    CONSTRAINT dead_letter_entry_pk PRIMARY KEY (dead_letter_identifier),
    CONSTRAINT dead_letter_entry_sequence_uk UNIQUE (processing_group, sequence_identifier, sequence_index)
);
CREATE INDEX dead_letter_entry_group_idx ON read_model.dead_letter_entry (processing_group);
CREATE INDEX dead_letter_entry_sequence_idx ON read_model.dead_letter_entry (processing_group, sequence_identifier);

CREATE TABLE read_model.account (
    id          UUID          PRIMARY KEY,
    name        VARCHAR(200)  NOT NULL,
    description VARCHAR(2000),
    external_id VARCHAR(200),
    parent_id   UUID,
    root_id     UUID          NOT NULL,
    depth       INTEGER       NOT NULL,
    status      VARCHAR(16)   NOT NULL,
    seats_total BIGINT        NOT NULL,
    seats_used  BIGINT        NOT NULL DEFAULT 0,
    created_at  TIMESTAMPTZ   NOT NULL,
    updated_at  TIMESTAMPTZ   NOT NULL,
    -- sequence number of the last event of this account applied to the row: replays and redeliveries of older
    -- events are ignored, which makes the projection idempotent
    version     BIGINT        NOT NULL
);
CREATE INDEX account_parent_idx ON read_model.account (parent_id);
CREATE INDEX account_root_idx ON read_model.account (root_id);
