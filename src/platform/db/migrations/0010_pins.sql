-- Staff PINs (4–6 digits, argon2id-hashed) per membership: switching user on a shared
-- till, and a manager's approval on the spot. Unique per company (a PIN names one
-- person), which the application checks against the hashes it can verify.
ALTER TABLE memberships ADD COLUMN pin_hash text;
ALTER TABLE memberships ADD COLUMN pin_set_at timestamptz;
