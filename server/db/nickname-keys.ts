/**
 * Nickname keys: how the replay list's nickname search compares names. A participant's
 * `nicknameKey` is lib/nickname.ts's {@link nicknameKey} of the nickname (NFKC, then lower case),
 * the one fold the rooms, the classroom and the standings use, so "Ann", "ANN" and a full-width
 * "Ａｎｎ" are one name. {@link refoldNicknameKeys} is the data half of the migration
 * `20261203075500_nickname_key_fold`, which marks the keys to refold with ''.
 */
import { nicknameKey } from "../../lib/nickname";
import type { PrismaClient } from "./generated/client";

/** The stored key of a nickname (and the key a search compares with). */
export function storedNicknameKey(nickname: string): string {
  return nicknameKey(nickname.trim());
}

/** Rows refolded per statement. */
const BATCH = 500;

/**
 * Give every participant whose key is marked '' its {@link storedNicknameKey} (a no-op when none
 * is marked: one index lookup). Runs after the migrations, each time the database is migrated, so
 * a start interrupted half-way finishes the job next time. Returns how many rows it refolded.
 */
export async function refoldNicknameKeys(prisma: PrismaClient): Promise<number> {
  let refolded = 0;
  let after = 0;
  for (;;) {
    const rows = await prisma.participant.findMany({
      where: { nicknameKey: "", id: { gt: after } },
      orderBy: { id: "asc" },
      take: BATCH,
      select: { id: true, nickname: true },
    });
    if (rows.length === 0) return refolded;
    after = rows[rows.length - 1]!.id;
    const keys = rows.map((row) => ({ id: row.id, key: storedNicknameKey(row.nickname) }));
    refolded += await prisma.$executeRaw`
      UPDATE "Participant" AS p SET "nicknameKey" = k.key
      FROM jsonb_to_recordset(${JSON.stringify(keys)}::jsonb) AS k(id int, key text)
      WHERE p.id = k.id`;
  }
}
