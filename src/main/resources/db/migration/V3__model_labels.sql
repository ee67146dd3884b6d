-- Version labels ("stable", "canary", ...) per model, each naming one version, and an optional
-- weighted split of the requests that name no version between two of a model's labels.
-- A label may name a version of the read-only model directory, which is not in model_versions,
-- so the label -> version rule is kept by the service (a delete locks the version row and
-- refuses while a label names it); the split -> label rule is a foreign key.

CREATE TABLE model_labels (
    name        VARCHAR(64)  NOT NULL,
    label       VARCHAR(64)  NOT NULL,
    version     VARCHAR(64)  NOT NULL,
    PRIMARY KEY (name, label)
);

CREATE TABLE model_traffic (
    name           VARCHAR(64)  PRIMARY KEY,
    first_label    VARCHAR(64)  NOT NULL,
    first_weight   INTEGER      NOT NULL,
    second_label   VARCHAR(64)  NOT NULL,
    second_weight  INTEGER      NOT NULL,
    CONSTRAINT model_traffic_first FOREIGN KEY (name, first_label) REFERENCES model_labels (name, label),
    CONSTRAINT model_traffic_second FOREIGN KEY (name, second_label) REFERENCES model_labels (name, label),
    CONSTRAINT model_traffic_weights CHECK (first_weight >= 0 AND second_weight >= 0
        AND first_weight + second_weight = 100 AND first_label <> second_label)
);
