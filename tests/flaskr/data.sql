-- flaskr's test data (Flask's tests/data.sql), portable to PostgreSQL:
-- "user" quoted (a reserved word there), and the post's body written
-- with a literal line break where Flask writes 'test' || x'0a' || 'body'
-- (x'0a' is a blob in SQLite but a bit string in PostgreSQL).
INSERT INTO "user" (username, password)
VALUES
  ('test', 'pbkdf2:sha256:50000$TCI4GzcX$0de171a4f4dac32e3364c7ddc7c14f3e2fa61f2d17574483f7ffbb431b4acb2f'),
  ('other', 'pbkdf2:sha256:50000$kJPKsz6N$d2d4784f1b030a9761f5ccaeeaca413f27f2ecb76d6168407af962ddce849f79');

INSERT INTO post (title, body, author_id, created)
VALUES
  ('test title', 'test
body', 1, '2018-01-01 00:00:00');
