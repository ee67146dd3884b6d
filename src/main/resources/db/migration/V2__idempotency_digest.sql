-- The digest of the request a job was submitted with, so that an Idempotency-Key sent again
-- with another request is refused instead of answered with the first job.
ALTER TABLE training_jobs ADD COLUMN request_digest VARCHAR(80);
