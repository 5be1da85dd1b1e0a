-- Participant."nicknameKey" becomes lib/nickname.ts's nicknameKey(nickname): NFKC, then lower
-- case, so the replay list's nickname search finds a full-width "Ａｎｎ" by "ann" (it was
-- lower(trim(nickname))). For an ASCII nickname the two are the same. Every other key is marked
-- '' here and refolded by the data layer right after the migrations (server/db/nickname-keys.ts):
-- SQL's lower() is not JavaScript's toLowerCase() (final sigma, dotted I), and the key must be
-- exactly the one saveRound writes.
UPDATE "Participant" SET "nicknameKey" = '' WHERE octet_length(nickname) <> char_length(nickname);
